export {};
//# sourceMappingURL=object-store.js.map