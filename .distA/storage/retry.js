export async function withRetries(policy, operation) {
    const now = policy.now ?? Date.now;
    const sleep = policy.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    let delay = policy.firstDelayMs ?? 500;
    let deadline;
    for (let attempt = 1;; attempt += 1) {
        try {
            return await operation();
        }
        catch (e) {
            deadline ??= now() + policy.budgetMs;
            const left = deadline - now();
            if (!policy.isTransient(e) || left <= 0)
                throw e;
            const wait = Math.min(delay, left, policy.maxDelayMs ?? 8_000);
            policy.onRetry?.(e, attempt, wait);
            await sleep(wait);
            delay *= 2;
        }
    }
}
//# sourceMappingURL=retry.js.map