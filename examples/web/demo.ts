/**
 * `npm run demo:web`: the web chat example. Bundles examples/web/page with esbuild from
 * the browser entry, serves it, and prints the URL. The page talks to the Ollama at
 * OLLAMA_HOST when one answers and allows the page's origin (OLLAMA_ORIGINS), otherwise to
 * an embedded FakeOllama, and says which. `--fake` uses the fake anyway; `PORT` fixes the port.
 */
import { startWebDemo } from './server.js'

const demo = await startWebDemo({ forceFake: process.argv.includes('--fake'), port: Number(process.env.PORT ?? 0) })
console.log(`${demo.config.label}\n\nOpen ${demo.url} in a browser. Ctrl-C stops.`)

process.once('SIGINT', () => {
  void demo.close().then(() => process.exit(0))
})
