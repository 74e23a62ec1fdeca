import {
  ServerInterceptingCall,
  status as GrpcStatus,
  type ServerInterceptingCallInterface,
  type ServerInterceptor,
  type ServerMethodDefinition,
} from '@grpc/grpc-js';
import { callInfo, type CallInfo } from './call-info';

/** Called once when a call starts; returns what to do once it ends, with its status code. */
export type CallObserver = (info: CallInfo, peer: string) => (code: GrpcStatus, details: string) => void;

/**
 * Turns a call observer into a server interceptor. The end callback fires exactly once: at
 * the status the server sends, or at cancellation by the client (CANCELLED).
 */
export function observeCalls(observer: CallObserver): ServerInterceptor {
  return (definition: ServerMethodDefinition<unknown, unknown>, call: ServerInterceptingCallInterface) => {
    const end = observer(callInfo(definition), call.getPeer());
    let ended = false;
    const finish = (code: GrpcStatus, details: string) => {
      if (ended) return;
      ended = true;
      end(code, details);
    };
    return new ServerInterceptingCall(call, {
      start: (next) => next({ onCancel: () => finish(GrpcStatus.CANCELLED, 'cancelled by the client') }),
      sendStatus: (status, next) => {
        finish(status.code, status.details);
        next(status);
      },
    });
  };
}
