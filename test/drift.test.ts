import { expect } from 'chai'
import { goJsonFields } from '../scripts/go-json-fields.js'
import * as M from '../src/protocol/wire/messages.js'
import { Options } from '../src/protocol/wire/options.js'
import * as Q from '../src/protocol/wire/requests.js'
import * as R from '../src/protocol/wire/responses.js'

/**
 * The drift guard: the JSON field names of Ollama's wire types in `api/types.go` at
 * `RELEASE`, and a test that each declaration in src/protocol/wire/ has every one of them.
 * When it fails, Ollama has a field the client does not declare: add it to the
 * declaration (the type, the ajv schema and the struct class all follow).
 *
 * To refresh it for a new release:
 *
 *   curl -sL https://raw.githubusercontent.com/ollama/ollama/<tag>/api/types.go | npx tsx scripts/go-json-fields.ts
 *
 * paste the structs below out of the output over `GO_FIELDS`, set `RELEASE` to the tag, and
 * run `npx mocha test/drift.test.ts`. A struct that is new in the output and matters to a
 * client gets a declaration and a line in `DECLARED_AS`; one that does not, a line in
 * `NOT_DECLARED` saying why.
 *
 * Provenance of this list: written for v0.32.6 (the release issue 11 names as current:
 * image generation removed, `think: "max"` since v0.22.0) from the fields issue 11 lists
 * and the server sources that could be read where this was written: recent copies of
 * `api/types.go` and `server/routes.go` (`StatusResponse`/`CloudStatus`, `UserResponse`,
 * `AuthorizationError`, `CreateRequest`'s draft fields), not a checkout of that tag. The
 * first refresh with the script above may add fields; that is what it is for.
 */
const RELEASE = 'v0.32.6'

const GO_FIELDS: Record<string, readonly string[]> = {
  GenerateRequest: ['model', 'prompt', 'suffix', 'system', 'template', 'context', 'stream', 'raw', 'format', 'keep_alive', 'images', 'options', 'think', 'truncate', 'shift', '_debug_render_only', 'logprobs', 'top_logprobs'],
  ChatRequest: ['model', 'messages', 'stream', 'format', 'keep_alive', 'tools', 'options', 'think', 'truncate', 'shift', '_debug_render_only', 'logprobs', 'top_logprobs'],
  Message: ['role', 'content', 'thinking', 'images', 'tool_calls', 'tool_name', 'tool_call_id'],
  ToolCall: ['id', 'function'],
  ToolCallFunction: ['index', 'name', 'arguments'],
  Tool: ['type', 'items', 'function'],
  ToolFunction: ['name', 'description', 'parameters'],
  ToolFunctionParameters: ['type', '$defs', 'items', 'required', 'properties'],
  ToolProperty: ['anyOf', 'type', 'items', 'description', 'enum', 'properties'],
  TokenLogprob: ['token', 'logprob', 'bytes'],
  Logprob: ['token', 'logprob', 'bytes', 'top_logprobs'],
  ChatResponse: ['model', 'remote_model', 'remote_host', 'created_at', 'message', 'done_reason', 'done', '_debug_info', 'logprobs', 'total_duration', 'load_duration', 'prompt_eval_count', 'prompt_eval_duration', 'eval_count', 'eval_duration'],
  DebugInfo: ['rendered_template', 'image_count'],
  Metrics: ['total_duration', 'load_duration', 'prompt_eval_count', 'prompt_eval_duration', 'eval_count', 'eval_duration'],
  Options: ['num_ctx', 'num_batch', 'num_gpu', 'main_gpu', 'use_mmap', 'num_thread', 'num_keep', 'seed', 'num_predict', 'top_k', 'top_p', 'min_p', 'typical_p', 'repeat_last_n', 'temperature', 'repeat_penalty', 'presence_penalty', 'frequency_penalty', 'stop'],
  EmbedRequest: ['model', 'input', 'keep_alive', 'truncate', 'dimensions', 'options'],
  EmbedResponse: ['model', 'embeddings', 'total_duration', 'load_duration', 'prompt_eval_count'],
  EmbeddingRequest: ['model', 'prompt', 'keep_alive', 'options'],
  EmbeddingResponse: ['embedding'],
  CreateRequest: ['model', 'stream', 'quantize', 'from', 'remote_host', 'files', 'adapters', 'draft_files', 'draft_quantize', 'template', 'license', 'system', 'parameters', 'messages', 'renderer', 'parser', 'requires', 'info', 'name', 'quantization'],
  DeleteRequest: ['model', 'name'],
  ShowRequest: ['model', 'system', 'template', 'verbose', 'options', 'name'],
  ShowResponse: ['license', 'modelfile', 'parameters', 'template', 'system', 'renderer', 'parser', 'details', 'messages', 'remote_model', 'remote_host', 'model_info', 'projector_info', 'tensors', 'capabilities', 'modified_at', 'requires'],
  CopyRequest: ['source', 'destination'],
  PullRequest: ['model', 'insecure', 'username', 'password', 'stream', 'name'],
  ProgressResponse: ['status', 'digest', 'total', 'completed'],
  PushRequest: ['model', 'insecure', 'username', 'password', 'stream', 'name'],
  ListResponse: ['models'],
  ProcessResponse: ['models'],
  ListModelResponse: ['name', 'model', 'remote_model', 'remote_host', 'modified_at', 'size', 'digest', 'details', 'capabilities', 'context_length'],
  ProcessModelResponse: ['name', 'model', 'remote_model', 'remote_host', 'size', 'digest', 'details', 'expires_at', 'size_vram', 'context_length', 'capabilities'],
  ModelDetails: ['parent_model', 'format', 'family', 'families', 'parameter_size', 'quantization_level'],
  Tensor: ['name', 'type', 'shape'],
  StatusResponse: ['cloud'],
  CloudStatus: ['disabled', 'source'],
  UserResponse: ['id', 'email', 'name', 'bio', 'avatarurl', 'firstname', 'lastname', 'plan'],
  AuthorizationError: ['signin_url'],
  StatusError: ['error'],
  TokenResponse: ['token'],
}

type Declaration = { properties: Record<string, unknown> }

/** The declaration of each Go type; the names differ where ollixir keeps its published names. */
const DECLARED_AS: Record<string, Declaration> = {
  GenerateRequest: Q.GenerateRequest,
  ChatRequest: Q.ChatRequest,
  Message: M.Message,
  ToolCall: M.ToolCall,
  ToolCallFunction: M.ToolCallFunction,
  Tool: M.Tool,
  ToolFunction: M.ToolFunction,
  ToolFunctionParameters: M.ToolFunctionParameters as unknown as Declaration,
  ToolProperty: M.ToolProperty as unknown as Declaration,
  TokenLogprob: M.TokenLogprob,
  Logprob: M.Logprob,
  ChatResponse: R.ChatResponse,
  DebugInfo: R.DebugInfo,
  Metrics: R.Metrics,
  Options,
  EmbedRequest: Q.EmbedRequest,
  EmbedResponse: R.EmbedResponse,
  EmbeddingRequest: Q.EmbeddingsRequest,
  EmbeddingResponse: R.EmbeddingsResponse,
  CreateRequest: Q.CreateRequest,
  DeleteRequest: Q.DeleteRequest,
  ShowRequest: Q.ShowRequest,
  ShowResponse: R.ShowResponse,
  CopyRequest: Q.CopyRequest,
  PullRequest: Q.PullRequest,
  ProgressResponse: R.ProgressResponse,
  PushRequest: Q.PushRequest,
  ListResponse: R.ListResponse,
  ProcessResponse: R.ProcessResponse,
  ListModelResponse: R.ModelResponse,
  ProcessModelResponse: R.RunningModel,
  ModelDetails: R.ModelDetails,
  Tensor: R.Tensor,
  StatusResponse: R.ServerStatus,
  CloudStatus: R.CloudStatus,
  UserResponse: R.UserResponse,
  // Both error bodies are one shape on the wire: `{"error": …, "signin_url"?: …}`.
  AuthorizationError: R.ErrorResponse,
  StatusError: R.ErrorResponse,
}

/** Go types the client has no use for, and why. */
const NOT_DECLARED: Record<string, string> = {
  TokenResponse: 'internal to the registry sign-in; no endpoint returns it to clients',
}

/** Fields the client sets itself rather than taking from the caller. */
const CLIENT_MANAGED = new Set(['stream'])

/** The Go fields a declaration lacks. */
function missingFields(fields: readonly string[], declaration: Declaration): string[] {
  return fields.filter((field) => !CLIENT_MANAGED.has(field) && !(field in declaration.properties))
}

describe(`drift guard: the declarations have every field of api/types.go at ${RELEASE}`, () => {
  for (const [goType, fields] of Object.entries(GO_FIELDS)) {
    if (goType in NOT_DECLARED) continue
    it(`${goType}: ${fields.length} fields`, () => {
      const declaration = DECLARED_AS[goType]
      expect(declaration, `${goType} has no declaration: add one, or a reason in NOT_DECLARED`).to.not.equal(undefined)
      const missing = missingFields(fields, declaration!)
      expect(missing, `${goType} lacks ${missing.join(', ')}`).to.deep.equal([])
    })
  }

  it('every Go type listed is either declared or said why not, and nothing else is mapped', () => {
    for (const goType of Object.keys(GO_FIELDS)) expect(goType in DECLARED_AS || goType in NOT_DECLARED, goType).to.equal(true)
    for (const goType of Object.keys(DECLARED_AS)) expect(GO_FIELDS, goType).to.have.property(goType)
  })

  it('notices a field a declaration lacks (stream excepted: the client sets it)', () => {
    const withoutThink = { properties: Object.fromEntries(Object.entries(Q.ChatRequest.properties).filter(([name]) => name !== 'think')) }
    expect(missingFields(GO_FIELDS.ChatRequest!, withoutThink)).to.deep.equal(['think'])
    expect(missingFields(GO_FIELDS.ChatRequest!, Q.ChatRequest)).to.deep.equal([])
  })
})

describe('scripts/go-json-fields.ts: the refresh tool reads Go structs as encoding/json does', () => {
  const source = `package api

// Metrics are shared.
type Metrics struct {
	TotalDuration time.Duration \`json:"total_duration,omitempty"\`
	EvalCount     int           \`json:"eval_count,omitempty"\`
}

type ChatResponse struct {
	Model     string    \`json:"model"\`
	CreatedAt time.Time \`json:"created_at"\`
	Internal  bool      \`json:"-"\`
	Untagged  string
	Tools     \`json:"tools,omitempty"\`

	Nested struct {
		Inner string \`json:"inner"\`
	} \`json:"nested"\`

	Metrics
}

func (r ChatResponse) String() string { return "" }
`

  it('keeps tag names in order, flattens embedded structs, skips "-" and nested fields, names untagged fields', () => {
    expect(goJsonFields(source)).to.deep.equal({
      Metrics: ['total_duration', 'eval_count'],
      ChatResponse: ['model', 'created_at', 'Untagged', 'tools', 'nested', 'total_duration', 'eval_count'],
    })
  })
})
