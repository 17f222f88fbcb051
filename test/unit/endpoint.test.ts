import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { endpointUrl, httpPath } from '../../src/spark/endpoint.js';

describe('httpPath', () => {
  it('uses the data plane form when data_plane is given', () =>
    assert.equal(httpPath({ lakehouse: 'lh', data_plane: 'dp', workspace_id: 'ws' }), '/data-plane/dp/lakehouse/lh'));
  it('uses the legacy workspace form without data_plane', () => assert.equal(httpPath({ lakehouse: 'lh', workspace_id: 'ws' }), '/lakehouse/ws/lh'));
  it('uses the plain form with neither', () => assert.equal(httpPath({ lakehouse: 'lh' }), '/lakehouse/lh'));
  it('lets http_path win and adds the leading slash', () => {
    assert.equal(httpPath({ lakehouse: 'lh', data_plane: 'dp', http_path: 'cliservice' }), '/cliservice');
    assert.equal(httpPath({ lakehouse: 'lh', http_path: '/x/y' }), '/x/y');
  });
  it('encodes path segments', () => assert.equal(httpPath({ lakehouse: 'my lh', data_plane: 'a/b' }), '/data-plane/a%2Fb/lakehouse/my%20lh'));
  it('builds the URL without credentials', () =>
    assert.equal(endpointUrl({ host: 'h', port: 443, scheme: 'https', lakehouse: 'lh', data_plane: 'dp' }), 'https://h:443/data-plane/dp/lakehouse/lh'));
});
