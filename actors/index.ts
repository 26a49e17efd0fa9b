export { ollamaStream } from './ollama-stream.js'
export type { OllamaStreamActorRef, OllamaStreamContext, OllamaStreamEvent, OllamaStreamInput, OllamaStreamInputOf, OllamaStreamLogic, OllamaStreamSnapshot } from './ollama-stream.js'
export type {
  ChatStreamEvent,
  CreateStreamEvent,
  GenerateStreamEvent,
  PullStreamEvent,
  PushStreamEvent,
  StreamChunk,
  StreamChunks,
  StreamEvent,
  StreamRequest,
  StreamRequests,
  StreamStructs,
} from './stream-types.js'
export { Task, startTask } from './task.js'
export type { TaskStatus, YieldResult } from './task.js'
export { ChunkStream } from './chunk-stream.js'
export { Mailbox } from './mailbox.js'
export type { StandInContext, StandInSnapshot } from './relay.js'
export type { StreamPhase } from './stream-run.js'
export type {
  OllixirChunksEvent,
  OllixirDataEvent,
  OllixirDownEvent,
  OllixirErrorEvent,
  OllixirEvent,
  OllixirOkEvent,
  OllixirResponse,
  Recipient,
  TaskResult,
} from './events.js'
export { createChatSession, CHAT_SESSION_REQUEST_ID, CHAT_SESSION_INTERRUPTED } from './chat-session.js'
export type {
  ChatSessionActorRef,
  ChatSessionCommand,
  ChatSessionImage,
  ChatSessionContext,
  ChatSessionEmitted,
  ChatSessionError,
  ChatSessionEvent,
  ChatSessionInput,
  ChatSessionMachine,
  ChatSessionMessage,
  ChatSessionMetrics,
  ChatSessionOptions,
  ChatSessionSnapshot,
} from './chat-session.js'
export { createAgent, agentModelActorId, agentToolActorId, DEFAULT_AGENT_MAX_TURNS } from './agent.js'
export type {
  AgentActorRef,
  AgentApproval,
  AgentCommand,
  AgentContext,
  AgentEmitted,
  AgentError,
  AgentEvent,
  AgentInput,
  AgentMachine,
  AgentMessage,
  AgentOptions,
  AgentOutput,
  AgentSnapshot,
  AgentStep,
  AgentStopReason,
  AgentToolCall,
  AgentToolCallInfo,
  AgentToolFailure,
  AgentToolResult,
} from './agent.js'
export type { AgentToolActorInput, AgentToolDoneEvent } from './agent-types.js'
