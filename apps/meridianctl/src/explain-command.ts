import { Metadata } from '@grpc/grpc-js';
import { ExplainRequest, ExplainResponse } from '@meridian/proto';
import { formatExplain } from './format-explain';
import { unary } from './grpc-calls';
import type { CommandContext } from './command-context';

/** explain <host>: records' Explain, as a report or as JSON. */
export async function explainCommand(context: CommandContext, host: string, clientSubnet: string | undefined): Promise<void> {
  const clients = context.regions[0]!;
  const records = clients.get('records');
  const request = ExplainRequest.fromPartial({ host, clientSubnet: clientSubnet ?? '' });
  const response = await unary<ExplainResponse>({ clients, service: 'records', method: 'Explain', timeoutMs: context.timeoutMs }, (options, callback) =>
    records.explain(request, new Metadata(), options, callback),
  );
  context.out(context.json ? JSON.stringify(ExplainResponse.toJSON(response), null, 2) : formatExplain(response));
}
