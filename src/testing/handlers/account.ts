/**
 * The server's own state and its ollama.com sign-in (server/routes.go):
 * - `GET /api/status` (`StatusHandler`) -> `{"cloud": {"disabled": bool, "source": "none" | "env" |
 *   "config" | "both"}}`: whether cloud models and web search are switched off
 *   (`OLLAMA_NO_CLOUD`, `disable_ollama_cloud` in server.json), and what said so;
 * - `POST /api/me` (`WhoamiHandler`) -> the signed-in account (`api.UserResponse`), or, on a
 *   server not signed in, 401 `{"error": "unauthorized", "signin_url": "https://ollama.com/connect?…"}`
 *   (`api.AuthorizationError`);
 * - `POST /api/signout` (`SignoutHandler`) -> 200 `null`, or 401 `you are not currently
 *   signed in` when it was not.
 * Scripted replies (`enqueue('me', …)`) replace the answer; faults answer whatever comes.
 */
import * as E from '../ollama-errors.js'
import type { Json } from '../replies.js'
import type { HandlerContext } from '../routes.js'
import type { Reply, UserResponse } from '../types.js'
import { errorOutcome, type Outcome } from '../writer.js'

/** Who `fake.signIn()` signs in as by default. */
export const FAKE_ACCOUNT: UserResponse = Object.freeze({
  id: '00000000-0000-4000-8000-000000000000',
  email: 'fake@example.com',
  name: 'fake-user',
  plan: 'free',
})

function single(body: Json | null, reply: Reply): Outcome {
  return { kind: 'json', status: 200, body: reply.body ?? (body === null ? null : { ...body, ...reply.extra }) }
}

/** 401 with the sign-in link a server not signed in hands out (`api.AuthorizationError`). */
export function notSignedIn(): Outcome {
  return { kind: 'json', status: 401, body: { error: E.UNAUTHORIZED, signin_url: E.SIGNIN_URL } }
}

export function status(ctx: HandlerContext): Outcome {
  const { disabledBy } = ctx.settings.cloud
  return single({ cloud: { disabled: disabledBy !== 'none', source: disabledBy } }, ctx.takeReply())
}

export function me(ctx: HandlerContext): Outcome {
  const { account } = ctx.settings.cloud
  if (!account) return notSignedIn()
  return single({ ...account }, ctx.takeReply())
}

export function signout(ctx: HandlerContext): Outcome {
  if (!ctx.settings.cloud.account) return errorOutcome(401, E.NOT_SIGNED_IN)
  const reply = ctx.takeReply()
  ctx.settings.cloud.account = undefined
  return single(null, reply)
}
