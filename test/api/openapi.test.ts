import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect } from 'chai';
import type { FastifyInstance } from 'fastify';
import { createRuntime } from '../../host/runtime.js';
import { buildApp } from '../../host/server/app.js';
import { areaOf } from '../../host/server/openapi/route-areas.js';
import { type ConfigFolder, configFolder } from '../host/support/config-folder.js';
import { send } from '../host/support/send.js';
import { openApiProblems } from './support/openapi-document-check.js';

const apiKey = 'docs-test-key-5c1e';
// The documentation's own pages, the document itself and the web client's files describe nothing of the API.
const ownDocumentation = /^\/(docs(\/|$)|openapi\.json$|index\.html$|assets\/|$)/;

describe('The API document and its UI', function () {
  this.timeout(60_000);
  let folder: ConfigFolder;
  let app: FastifyInstance;
  let url: string;
  const registered: { method: string; url: string }[] = [];
  // biome-ignore lint/suspicious/noExplicitAny: the document is read as plain JSON
  let document: any;

  before(async () => {
    folder = configFolder().host({
      host: { port: 0, apiKey: '${env:DOCS_TEST_KEY}' },
      embedded: { referenceCrm: { enabled: false } },
    });
    const runtime = await createRuntime({
      configDir: folder.dir,
      env: { DOCS_TEST_KEY: apiKey },
      logger: false,
    });
    app = await buildApp(runtime, {
      onRoute: (route) => {
        for (const method of [route.method].flat()) registered.push({ method, url: route.url });
      },
    });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    const answer = await send(`${url}/openapi.json`);
    expect(answer.status).to.equal(200);
    document = answer.json();
  });
  after(async () => {
    await app?.close();
    folder?.remove();
  });

  const operation = (method: string, path: string) => document.paths[path]?.[method.toLowerCase()];

  it('is an OpenAPI 3.1 document that validates', () => {
    expect(document.openapi).to.equal('3.1.0');
    expect(document.info.title).to.equal('crmsync');
    expect(openApiProblems(document)).to.deep.equal([]);
  });

  it('lists every route the host answers, except the documentation itself', () => {
    // HEAD answers exist for every GET and are not operations of their own.
    const routes = registered.filter((route) => route.method !== 'HEAD');
    const missing = routes
      .filter((route) => !ownDocumentation.test(route.url))
      .filter((route) => !operation(route.method, route.url.replace(/:(\w+)/g, '{$1}')))
      .map((route) => `${route.method} ${route.url}`);
    expect(missing).to.deep.equal([]);
    expect(routes.length).to.be.greaterThan(40);
    const documentedPaths = Object.keys(document.paths);
    expect(documentedPaths.filter((path) => ownDocumentation.test(path))).to.deep.equal([]);
  });

  it('names each operation and groups it under one declared area', () => {
    const unnamed = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { summary?: string; tags?: string[] }>)
        .filter(([, operation]) => !operation.summary || operation.tags?.length !== 1)
        .map(([method]) => `${method} ${path}`),
    );
    expect(unnamed).to.deep.equal([]);
    const areas = document.tags.map((tag: { name: string }) => tag.name);
    expect(areas).to.include.members(['plans', 'imports', 'sync runs', 'jobs', 'crm', 'access', 'admin']);
    expect(operation('POST', '/api/v1/session').tags).to.deep.equal(['access']);
    expect(operation('DELETE', '/api/v1/tokens/{id}').tags).to.deep.equal(['access']);
    expect(operation('POST', '/api/v1/export-plans').tags).to.deep.equal(['plans']);
    expect(operation('PUT', '/api/v1/plans/{planId}/items/{seq}/partner').tags).to.deep.equal(['imports']);
    expect(operation('POST', '/api/v1/sync-runs/{planId}/undo').tags).to.deep.equal(['sync runs']);
    expect(operation('GET', '/api/v1/jobs/{jobId}/events').tags).to.deep.equal(['jobs']);
    expect(operation('PUT', '/api/v1/crm/contacts/{crmId}/sync').tags).to.deep.equal(['crm']);
    expect(operation('GET', '/health').tags).to.deep.equal(['admin']);
  });

  it('asks for a token, the session cookie or the API key on the API routes only, as the host does', async () => {
    expect(document.components.securitySchemes).to.deep.equal({
      bearer: { type: 'http', scheme: 'bearer', description: 'An API token an administrator created' },
      session: {
        type: 'apiKey',
        in: 'cookie',
        name: 'crmsync_session',
        description: 'The web client’s sign-in (POST /api/v1/session); writes also send x-csrf-token',
      },
      apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
    });
    const credentials = [{ bearer: [] }, { session: [] }, { apiKey: [] }];
    expect(operation('GET', '/api/v1/plans/{planId}').security).to.deep.equal(credentials);
    expect(operation('GET', '/api/v1/plans/{planId}').responses).to.have.keys(
      '200',
      '400',
      '401',
      '403',
      '404',
      '409',
    );
    expect(operation('POST', '/api/v1/plans/{planId}/commit').responses).to.include.keys('401', '403', '429');
    expect(operation('GET', '/metrics').security, 'metrics are for administrators').to.deep.equal(
      credentials,
    );
    expect(operation('GET', '/health').security).to.equal(undefined);
    expect(operation('POST', '/api/v1/session').security, 'signing in needs no credential').to.equal(
      undefined,
    );
    expect(operation('GET', '/api/v1/session').security).to.deep.equal(credentials);
    expect((await send(`${url}/api/v1/plugins`)).status).to.equal(401);
    expect((await send(`${url}/metrics`)).status).to.equal(401);
    expect((await send(`${url}/health`)).status).to.equal(200);
  });

  it('describes the answers the routes really give', async () => {
    const ajv = new Ajv2020({ strict: false });
    for (const path of [
      '/health',
      '/api/v1/plugins',
      '/api/v1/contributions',
      '/api/v1/config',
      '/api/v1/sync-runs',
    ]) {
      const answer = await send(`${url}${path}`, { headers: { 'x-api-key': apiKey } });
      expect(answer.status, path).to.equal(200);
      const schema = operation('GET', path).responses['200'].content['application/json'].schema;
      const valid = ajv.validate(schema, answer.json());
      expect(ajv.errors ?? [], path).to.deep.equal([]);
      expect(valid, path).to.equal(true);
    }
  });

  it('says the upload routes read a form with one file part as well as the file itself', () => {
    for (const path of ['/api/v1/imports/preview', '/api/v1/import-plans/upload']) {
      const content = operation('POST', path).requestBody.content;
      expect(Object.keys(content), path).to.include.members(['text/vcard', 'multipart/form-data']);
      expect(content['multipart/form-data'].schema.properties.file, path).to.deep.equal({
        type: 'string',
        format: 'binary',
      });
    }
  });

  it('says a plan is answered built (201) or still building with its job (202)', () => {
    for (const path of ['/api/v1/export-plans', '/api/v1/import-plans', '/api/v1/import-plans/upload']) {
      const { responses } = operation('POST', path);
      expect(responses, path).to.include.keys('201', '202');
      expect(responses['202'].content['application/json'].schema.required, path).to.include('job');
    }
  });

  it('is readable without the API key and holds no secret', async () => {
    const answer = await send(`${url}/openapi.json`);
    expect(answer.headers['content-type']).to.match(/^application\/json/);
    expect(answer.text).not.to.contain(apiKey);
    expect(answer.text).not.to.contain(folder.dir);
  });

  it('serves the UI as a page whose scripts load from this host only', async () => {
    const page = await send(`${url}/docs`);
    expect(page.status).to.equal(200);
    expect(page.headers['content-type']).to.match(/^text\/html/);
    expect(page.text).to.contain('<div id="swagger-ui">');
    const policy = String(page.headers['content-security-policy']);
    expect(policy).to.contain("script-src 'self'");
    expect(policy).to.contain("frame-ancestors 'none'");

    const scripts = [...page.text.matchAll(/<script src="([^"]+)"/g)].map((match) => match[1]!);
    expect(scripts).to.have.length.greaterThan(0);
    for (const script of scripts) {
      expect(script, script).to.match(/^\/docs\//);
      const asset = await send(`${url}${script}`);
      expect(asset.status, script).to.equal(200);
      expect(asset.headers['content-type'], script).to.match(/javascript/);
    }
    // Swagger UI would otherwise send the document's address to validator.swagger.io.
    const initializer = await send(`${url}/docs/static/swagger-initializer.js`);
    expect(initializer.text).to.contain('validatorUrl: null');
    // The page reads its document from beside it: the same as /openapi.json.
    expect((await send(`${url}/docs/json`)).json()).to.deep.equal(document);
  });

  it('answers neither the page nor the document to a host name that is not its own', async () => {
    const port = new URL(url).port;
    for (const path of ['/docs', '/openapi.json']) {
      const answer = await send(`${url}${path}`, { headers: { host: `attacker.example:${port}` } });
      expect(answer.status, path).to.equal(403);
      expect(answer.json()).to.include({ code: 'CRMSYNC_ERR_FOREIGN_ORIGIN' });
    }
  });
});

describe('The API document of a host without an API key', function () {
  this.timeout(60_000);

  it('offers a token and the session cookie, and no key, since the host takes none', async () => {
    const folder = configFolder().host({ host: { port: 0 }, embedded: { referenceCrm: { enabled: false } } });
    const app = await buildApp(await createRuntime({ configDir: folder.dir, env: {}, logger: false }));
    try {
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      const document = (await send(`${url}/openapi.json`)).json();
      expect(document.components.securitySchemes).to.have.keys('bearer', 'session');
      const operations = Object.values(document.paths).flatMap((item) => Object.values(item as object));
      const keyed = operations.filter((operation) =>
        JSON.stringify(operation.security ?? []).includes('apiKey'),
      );
      expect(keyed).to.deep.equal([]);
      expect(document.paths['/api/v1/plans/{planId}'].get.security).to.deep.equal([
        { bearer: [] },
        { session: [] },
      ]);
      // Without users the host on loopback is open: the credentials are not asked for yet.
      expect((await send(`${url}/api/v1/plugins`)).status).to.equal(200);
    } finally {
      await app.close();
      folder.remove();
    }
  });
});

describe('The areas of the API document', () => {
  it('refuses to place a route the document has no area for', () => {
    expect(() => areaOf('/api/v1/reports')).to.throw(/\/api\/v1\/reports belongs to no area/);
    expect(areaOf('/api/v1/plans/:planId/items/:seq/partner')).to.equal('imports');
  });
});

describe('The API document checker', () => {
  it('finds the faults that make a document unusable', () => {
    const problems = openApiProblems({
      openapi: '3.1.0',
      info: { title: 'broken', version: '1' },
      tags: [{ name: 'plans' }],
      paths: {
        '/plans/{planId}': {
          get: {
            tags: ['plan'],
            security: [{ token: [] }],
            parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
            responses: {
              '200': {
                description: 'a plan',
                content: { 'application/json': { schema: { type: 'object', requried: ['id'] } } },
              },
              '404': { content: {} },
            },
          },
        },
      },
    });
    expect(problems.join('\n')).to.contain(
      '/paths/~1plans~1{planId}/get/responses/404: must have required property',
    );
    expect(problems).to.include('GET /plans/{planId}: path parameters id do not match the template');
    expect(problems).to.include('GET /plans/{planId}: undeclared tag plan');
    expect(problems).to.include('GET /plans/{planId}: unknown security scheme token');
    expect(problems.join('\n')).to.contain(
      'GET /plans/{planId} 200 application/json: strict mode: unknown keyword: "requried"',
    );
  });
});
