import { expect } from 'chai';
import express, { Router } from 'express';
import { joinPath, listRoutes } from './route-list.js';

describe('listRoutes', () => {
  it('lists every method and full path through nested and root-mounted routers', () => {
    const app = express();
    const api = Router();
    const things = Router();
    const atRoot = Router();
    const handler = () => undefined;
    things.get('/', handler);
    things.post('/', handler);
    things.route('/:id').get(handler).delete(handler);
    atRoot.put('/elsewhere/:id/vote', handler);
    api.use(express.json());
    api.use('/things', things);
    api.use(atRoot);
    app.use('/api', api);
    app.get('/outside', handler);

    const routes = listRoutes(app).map((r) => `${r.method} ${r.path}`);
    expect(routes).to.deep.equal([
      'GET /api/things',
      'POST /api/things',
      'GET /api/things/:id',
      'DELETE /api/things/:id',
      'PUT /api/elsewhere/:id/vote',
      'GET /outside',
    ]);
  });

  it('keeps the handlers of a route, so their code can be read', () => {
    const app = express();
    const first = () => undefined;
    const second = () => undefined;
    app.post('/x', first, second);
    expect(listRoutes(app)[0].handlers).to.deep.equal([first, second]);
  });

  it('refuses routers mounted on patterns it cannot spell out', () => {
    const app = express();
    const inner = Router();
    inner.get('/', () => undefined);
    app.use(/^\/v\d+/, inner);
    expect(() => listRoutes(app)).to.throw(/pattern/);
  });

  it('joins paths without doubled or trailing slashes', () => {
    expect(joinPath('', '/')).to.equal('/');
    expect(joinPath('/api/me', '/')).to.equal('/api/me');
    expect(joinPath('/api', '/groups/:group')).to.equal('/api/groups/:group');
  });
});
