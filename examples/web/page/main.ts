/**
 * A chat page on `createChatSession`: the reply streams in, thinking is shown apart,
 * Cancel stops the request (its socket closes), Retry asks again after an error, and a
 * switch opens the Stately inspector on the session and its request actors.
 *
 * The UI is a function of the session's snapshot: `render` reads `messages`, `current`,
 * `currentThinking` and `error`, nothing else.
 */
import { createBrowserInspector } from '@statelyai/inspect'
import { createActor, type Snapshot } from 'xstate'
// In your app: import { Ollixir, createChatSession } from 'ollixir'
import { createChatSession, Ollixir, type ChatSessionActorRef, type ChatSessionMessage, type ChatSessionSnapshot } from '../../../src/browser.js'
import type { WebDemoConfig } from '../config.js'

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T
const ui = {
  backend: $<HTMLParagraphElement>('backend'),
  messages: $<HTMLElement>('messages'),
  error: $<HTMLElement>('error'),
  errorTitle: $<HTMLElement>('error-title'),
  errorMessage: $<HTMLElement>('error-message'),
  retry: $<HTMLButtonElement>('retry'),
  form: $<HTMLFormElement>('composer'),
  input: $<HTMLTextAreaElement>('input'),
  send: $<HTMLButtonElement>('send'),
  cancel: $<HTMLButtonElement>('cancel'),
  inspect: $<HTMLInputElement>('inspect'),
}

const config = (await (await fetch('/config.json')).json()) as WebDemoConfig
ui.backend.textContent = config.label

const client = Ollixir.init({ host: config.host })
const session = createChatSession({ client, model: config.model })

let inspector: ReturnType<typeof createBrowserInspector> | undefined
let chat = startSession()

/** Starts the session, from a saved snapshot when the inspector is switched on or off. */
function startSession(snapshot?: Snapshot<unknown>): ChatSessionActorRef {
  const actor = createActor(session, { ...(snapshot ? { snapshot } : {}), ...(inspector ? { inspect: inspector.inspect } : {}) })
  // The history keeps no trace of a cancelled reply; the page does, where it would have been.
  actor.on('chat.cancelled', ({ partial }) => {
    ui.messages.querySelector('.live')?.remove()
    ui.messages.append(Object.assign(document.createElement('p'), { className: 'note', textContent: `Reply cancelled; ${partial.length} characters discarded.` }))
  })
  actor.subscribe(render)
  actor.start()
  return actor
}

// ---- what the user does ----------------------------------------------------------------

ui.form.addEventListener('submit', (event) => {
  event.preventDefault()
  const content = ui.input.value.trim()
  if (!content || !chat.getSnapshot().can({ type: 'chat.send', content })) return
  chat.send({ type: 'chat.send', content })
  ui.input.value = ''
})

ui.input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault()
    ui.form.requestSubmit()
  }
})

ui.cancel.addEventListener('click', () => chat.send({ type: 'chat.cancel' }))
ui.retry.addEventListener('click', () => chat.send({ type: 'chat.retry' }))

// The inspector must see an actor from its start: the session is restarted from its
// persisted snapshot (the switch is disabled while a reply streams).
ui.inspect.addEventListener('change', () => {
  if (ui.inspect.checked) inspector = createBrowserInspector()
  else {
    inspector?.stop()
    inspector = undefined
  }
  const saved = chat.getPersistedSnapshot()
  chat.stop()
  chat = startSession(saved)
})

// ---- what the user sees ----------------------------------------------------------------

/** How many history messages are on the page; only new ones are added. */
let shown = 0

function render(snapshot: ChatSessionSnapshot): void {
  const { messages, current, currentThinking, error } = snapshot.context
  const streaming = snapshot.matches('streaming')
  if (messages.length < shown) {
    ui.messages.replaceChildren()
    shown = 0
  }
  ui.messages.querySelector('.live')?.remove()
  for (; shown < messages.length; shown++) ui.messages.append(bubble(messages[shown]!))
  if (streaming) ui.messages.append(bubble({ role: 'assistant', content: current, thinking: currentThinking }, 'live streaming'))
  else if (current && error) ui.messages.append(bubble({ role: 'assistant', content: current, thinking: currentThinking }, 'live', 'The reply broke off here.'))

  ui.error.hidden = !error || streaming
  if (error) {
    ui.errorTitle.textContent = `${error.name}${error.status && error.status >= 400 ? ` ${error.status}` : ''} (${error.code})`
    ui.errorMessage.textContent = error.message
  }
  ui.send.disabled = streaming
  ui.cancel.disabled = !streaming
  ui.inspect.disabled = streaming
  if (streaming || messages.length !== shown) window.scrollTo({ top: document.body.scrollHeight })
}

function bubble(message: ChatSessionMessage, extra = '', footnote = ''): HTMLElement {
  const element = document.createElement('article')
  element.className = `message ${message.role} ${extra}`.trim()
  const role = Object.assign(document.createElement('span'), { className: 'role', textContent: message.role === 'user' ? 'you' : config.model })
  element.append(role)
  if (message.thinking) {
    const thinking = document.createElement('details')
    thinking.className = 'thinking'
    // Open while it streams, folded once the answer is there.
    thinking.open = extra.includes('streaming') && !message.content
    thinking.append(Object.assign(document.createElement('summary'), { textContent: 'Thinking' }), message.thinking)
    element.append(thinking)
  }
  element.append(Object.assign(document.createElement('span'), { className: 'content', textContent: message.content }))
  if (footnote) element.append(Object.assign(document.createElement('span'), { className: 'note', textContent: footnote }))
  return element
}
