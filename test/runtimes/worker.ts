// Entry for Cloudflare's workerd: a module worker that runs the program for each request, the
// API URL given as `?api=`, and answers with the report.
import { run } from './program.js';

export default {
  async fetch(request: Request): Promise<Response> {
    const api = new URL(request.url).searchParams.get('api') ?? '';
    try {
      return Response.json(await run(api));
    } catch (error) {
      return Response.json({ failed: String((error as Error)?.stack ?? error) });
    }
  },
};
