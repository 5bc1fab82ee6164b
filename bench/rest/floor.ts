// The floor for bench/rest/load.ts: a bare Express + pg server answering the same routes with the
// nearest single query each (no auth, no validation, no presenters, no events), on the database of
// the Ensemble it is compared with. Run as a child process: node bench/rest/floor.ts <databaseUrl> <port>
import express from 'express';
import pg from 'pg';

const [databaseUrl, port] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
const app = express();
app.use(express.json());

app.get('/api/design-systems/:dsId/components', async (req, res) => {
  const { rows } = await pool.query(
    'SELECT id, name, category, version, updated_at FROM components WHERE design_system_id = $1 ORDER BY name LIMIT 50',
    [req.params.dsId],
  );
  res.json({ items: rows, nextCursor: null });
});
app.get('/api/design-systems/:dsId/components/:id', async (req, res) => {
  const { rows } = await pool.query('SELECT * FROM components WHERE id = $1 AND design_system_id = $2', [
    req.params.id,
    req.params.dsId,
  ]);
  res.json(rows[0]);
});
app.put('/api/design-systems/:dsId/components/:id', async (req, res) => {
  const { rows } = await pool.query(
    'UPDATE components SET documentation = $1, version = version + 1, updated_at = now() WHERE id = $2 AND design_system_id = $3 RETURNING *',
    [req.body.documentation, req.params.id, req.params.dsId],
  );
  res.json(rows[0]);
});
app.post('/api/comments', async (req, res) => {
  const { rows } = await pool.query(
    'INSERT INTO comments (id, team_id, design_system_id, resource_type, resource_id, content) SELECT gen_random_uuid(), d.team_id, d.id, $1, c.id, $3 FROM design_systems d JOIN components c ON c.design_system_id = d.id WHERE c.id = $2::uuid RETURNING id',
    [req.body.resourceType, req.body.resourceId, req.body.content],
  );
  res.status(201).json(rows[0]);
});
app.get('/api/design-systems/:dsId/tokens/export', async (req, res) => {
  const { rows } = await pool.query(
    'SELECT category, name, value, type FROM design_tokens WHERE design_system_id = $1 ORDER BY category, name',
    [req.params.dsId],
  );
  res
    .type('text/css')
    .send(
      `:root {\n${rows.map((r: { category: string; name: string; value: unknown }) => `  --${r.category}-${r.name.replaceAll('.', '-')}: ${JSON.stringify(r.value)};`).join('\n')}\n}\n`,
    );
});
app.listen(Number(port), '127.0.0.1', () => process.send?.('ready'));
