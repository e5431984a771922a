// Entry for Cloudflare's workerd: a module worker that runs the program for each request, the
// API URL given as `?api=` (the stateful mock's as `?mock=`), and answers with the report.
import { run } from './program.js';

export default {
  async fetch(request: Request): Promise<Response> {
    const query = new URL(request.url).searchParams;
    try {
      return Response.json(await run(query.get('api') ?? '', query.get('mock') ?? ''));
    } catch (error) {
      return Response.json({ failed: String((error as Error)?.stack ?? error) });
    }
  },
};
