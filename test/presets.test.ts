import { expect } from 'chai'
import { mergeOptions, presets, RequestError, type Options, type PresetName } from '../src/index.js'
import { hi, useRig } from './support/helpers.js'

const NAMES: PresetName[] = ['creative', 'precise', 'code', 'chat', 'fast', 'largeContext']

describe('Options presets', () => {
  const rig = useRig()

  it('has the six presets of the Elixir client, with their documented values', () => {
    expect(Object.keys(presets).sort()).to.deep.equal([...NAMES].sort())
    expect(presets.creative).to.deep.equal({ temperature: 1.0, top_p: 0.95, top_k: 80, min_p: 0.05, repeat_penalty: 1.1, repeat_last_n: 128 })
    expect(presets.precise).to.deep.equal({ temperature: 0.1, top_k: 10, top_p: 0.5, repeat_penalty: 1.0 })
    expect(presets.code).to.deep.equal({ temperature: 0.2, top_p: 0.9, top_k: 40, repeat_penalty: 1.0, num_ctx: 8192 })
    expect(presets.chat).to.deep.equal({ temperature: 0.7, top_p: 0.9, top_k: 40, repeat_penalty: 1.1, num_ctx: 4096 })
    expect(presets.fast).to.deep.equal({ num_ctx: 2048, num_predict: 256, top_k: 20, temperature: 0.5 })
    expect(presets.largeContext).to.deep.equal({ num_ctx: 32768, num_keep: 256, repeat_last_n: 256, num_batch: 1024 })
  })

  it('orders them by randomness as their names promise', () => {
    expect(presets.creative.temperature!).to.be.greaterThan(presets.chat.temperature!)
    expect(presets.chat.temperature!).to.be.greaterThan(presets.code.temperature!)
    expect(presets.code.temperature!).to.be.greaterThan(presets.precise.temperature!)
    expect(presets.largeContext.num_ctx!).to.be.greaterThan(presets.code.num_ctx!)
    expect(presets.fast.num_ctx!).to.be.lessThan(presets.chat.num_ctx!)
  })

  it('are frozen, and so is the table', () => {
    expect(Object.isFrozen(presets)).to.equal(true)
    for (const name of NAMES) {
      expect(Object.isFrozen(presets[name]), name).to.equal(true)
      expect(() => {
        ;(presets[name] as Options).temperature = 2
      }).to.throw(TypeError)
    }
    expect(() => {
      ;(presets as Record<string, Options>).creative = {}
    }).to.throw(TypeError)
    expect(presets.creative.temperature).to.equal(1.0)
  })

  for (const name of NAMES) {
    it(`${name} passes validation and reaches the server unchanged`, async () => {
      await rig.client.chat({ model: 'llama3.2', messages: hi, options: presets[name] })
      expect((rig.fake.lastRequest('/api/chat')!.body as { options: unknown }).options).to.deep.equal(presets[name])
    })
  }

  describe('mergeOptions', () => {
    it('later wins, and the result is a new, typed, unfrozen Options', () => {
      const merged: Options = mergeOptions(presets.creative, { num_ctx: 8192, temperature: 0.9 })
      expect(merged).to.deep.equal({ temperature: 0.9, top_p: 0.95, top_k: 80, min_p: 0.05, repeat_penalty: 1.1, repeat_last_n: 128, num_ctx: 8192 })
      expect(merged).to.not.equal(presets.creative)
      expect(Object.isFrozen(merged)).to.equal(false)
      merged.seed = 1
      expect(presets.creative).to.not.have.property('seed')
      expect(presets.creative.temperature).to.equal(1.0)
    })

    it('undefined does not erase; undefined layers are skipped; any number of layers', () => {
      expect(mergeOptions(presets.code, { temperature: undefined, seed: 7 })).to.deep.equal({ ...presets.code, seed: 7 })
      expect(mergeOptions(undefined, presets.fast, undefined)).to.deep.equal(presets.fast)
      expect(mergeOptions(presets.chat, presets.largeContext, { num_ctx: 16384 })).to.deep.equal({
        temperature: 0.7,
        top_p: 0.9,
        top_k: 40,
        repeat_penalty: 1.1,
        num_ctx: 16384,
        num_keep: 256,
        repeat_last_n: 256,
        num_batch: 1024,
      })
      expect(mergeOptions()).to.deep.equal({})
    })

    it('false and 0 do override (only undefined is "not set")', () => {
      expect(mergeOptions({ use_mmap: true, temperature: 0.7 }, { use_mmap: false, temperature: 0 })).to.deep.equal({ use_mmap: false, temperature: 0 })
    })

    it('copies stop lists instead of sharing them, and leaves its inputs alone', () => {
      const base: Options = { stop: ['<|eot_id|>'], temperature: 0.3 }
      const merged = mergeOptions(base, { seed: 1 })
      expect(merged.stop).to.deep.equal(['<|eot_id|>'])
      expect(merged.stop).to.not.equal(base.stop)
      ;(merged.stop as string[]).push('END')
      expect(base).to.deep.equal({ stop: ['<|eot_id|>'], temperature: 0.3 })
      expect(mergeOptions(base, { stop: 'END' }).stop).to.equal('END')
    })

    it('as a user writes it: the merged options reach the server', async () => {
      await rig.client.chat({ model: 'llama3.2', messages: hi, options: mergeOptions(presets.code, { seed: 42 }) })
      expect((rig.fake.lastRequest('/api/chat')!.body as { options: unknown }).options).to.deep.equal({
        temperature: 0.2,
        top_p: 0.9,
        top_k: 40,
        repeat_penalty: 1.0,
        num_ctx: 8192,
        seed: 42,
      })
    })

    it('a bad override is still caught by validation, before sending', async () => {
      const error = await rig.client
        .generate({ model: 'llama3.2', prompt: 'p', options: mergeOptions(presets.fast, { num_predict: 'lots' as never }) })
        .then(
          () => undefined,
          (e: unknown) => e,
        )
      expect(error).to.be.instanceOf(RequestError)
      expect(error).to.have.property('field', 'options.num_predict')
      expect(rig.fake.totalConnections).to.equal(0)
    })
  })
})
