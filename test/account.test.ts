import { expect } from 'chai'
import { Ollixir, ResponseError } from '../src/index.js'
import { FAKE_ACCOUNT, FakeOllama } from '../src/testing/index.js'
import { rejection, useRig } from './support/helpers.js'

describe('server status and ollama.com account: status(), me(), signout()', () => {
  const rig = useRig()

  it('status(): GET /api/status, no body; cloud features on by default', async () => {
    const status = await rig.client.status({ timeout: 5000 })
    expect(status).to.deep.equal({ cloud: { disabled: false, source: 'none' } })
    const request = rig.fake.lastRequest('/api/status')!
    expect(request.method).to.equal('GET')
    expect(request.raw.length).to.equal(0)
  })

  it('status() of a server with cloud switched off says so, and what decided it; its web proxies answer 403', async () => {
    const fake = await FakeOllama.start({ cloudDisabled: 'config', account: FAKE_ACCOUNT })
    const client = Ollixir.init({ host: fake.host, retry: false })
    try {
      expect(await client.status()).to.deep.equal({ cloud: { disabled: true, source: 'config' } })
      const search = await rejection(client.webSearch({ query: 'ollama' }))
      expect(search).to.be.instanceOf(ResponseError)
      expect(search.status).to.equal(403)
      expect(search.message).to.equal('ollama cloud is disabled: web search is unavailable')
      expect((await rejection(client.webFetch({ url: 'https://ollama.com' }))).message).to.equal('ollama cloud is disabled: web fetch is unavailable')
    } finally {
      client.close()
      await fake.close()
    }
  })

  it('me() of a server not signed in: ResponseError 401 "unauthorized" with the signin_url as signinUrl', async () => {
    const error = await rejection(rig.client.me())
    expect(error).to.be.instanceOf(ResponseError)
    expect(error.status).to.equal(401)
    expect(error.message).to.equal('unauthorized')
    expect(error.signinUrl).to.match(/^https:\/\/ollama\.com\/connect\?name=/)
    expect(error.toJSON()).to.include({ signinUrl: error.signinUrl })
    expect(rig.fake.lastRequest('/api/me')!.method).to.equal('POST')
  })

  it('me() of a signed-in server: the account, as the server sends it', async () => {
    rig.fake.signIn()
    expect(await rig.client.me()).to.deep.equal(FAKE_ACCOUNT)
    const account = { id: 'u-1', email: 'ada@example.com', name: 'ada', firstname: 'Ada', plan: 'pro', avatarurl: 'https://ollama.com/a.png' }
    rig.fake.signIn(account)
    expect(await rig.client.me()).to.deep.equal(account)
  })

  it('signout(): signs the server out ({ status: "success" }); then me() is 401 and a second signout() is refused', async () => {
    rig.fake.signIn()
    expect(await rig.client.signout()).to.deep.equal({ status: 'success' })
    expect(rig.fake.account).to.equal(undefined)
    expect((await rejection(rig.client.me())).status).to.equal(401)
    const again = await rejection(rig.client.signout())
    expect(again).to.be.instanceOf(ResponseError)
    expect(again.status).to.equal(401)
    expect(again.message).to.equal('you are not currently signed in')
    expect(again.signinUrl).to.equal(undefined)
  })

  it('an account given at start is signed in from the first request', async () => {
    const fake = await FakeOllama.start({ account: { id: 'x', email: 'x@example.com', name: 'x' } })
    const client = Ollixir.init({ host: fake.host, retry: false })
    try {
      expect((await client.me()).name).to.equal('x')
    } finally {
      client.close()
      await fake.close()
    }
  })

  it('the local web proxies refuse an empty body before anything else, as the server does', async () => {
    const response = await fetch(`${rig.fake.url}/api/experimental/web_search`, { method: 'POST' })
    expect(response.status).to.equal(400)
    expect(await response.json()).to.deep.equal({ error: 'missing request body' })
  })

  it('scripted faults answer these routes too', async () => {
    rig.fake.enqueue('status', { status: 503, error: 'busy' })
    const error = await rejection(rig.client.status())
    expect(error).to.be.instanceOf(ResponseError)
    expect(error.status).to.equal(503)
  })
})
