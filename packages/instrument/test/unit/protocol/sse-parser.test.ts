import { describe, expect, it } from 'vitest';
import { createSseParser, readSseBody, type SseMessage } from '../../../src/protocol/sse-parser.js';

function parse(chunks: string[]) {
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  const parser = createSseParser(
    (m) => messages.push(m),
    (c) => comments.push(c),
  );
  for (const c of chunks) parser.push(c);
  return { messages, comments, parser };
}

describe('SSE parser', () => {
  it('parses named events with ids and data', () => {
    const { messages, parser } = parse(['id: 7\nevent: batch\ndata: [1,2]\n\n']);
    expect(messages).toEqual([{ event: 'batch', data: '[1,2]', lastEventId: '7' }]);
    expect(parser.lastEventId).toBe('7');
  });

  it('defaults the event name to message and joins multi-line data', () => {
    const { messages } = parse(['data: a\ndata: b\n\n']);
    expect(messages).toEqual([{ event: 'message', data: 'a\nb', lastEventId: '' }]);
  });

  it('handles CRLF and CR line ends, also split across chunks', () => {
    const { messages } = parse(['event: x\r', '\ndata: 1\r\n\r', '\nevent: y\rdata: 2\r\r']);
    expect(messages.map((m) => [m.event, m.data])).toEqual([
      ['x', '1'],
      ['y', '2'],
    ]);
  });

  it('handles a message split at any byte', () => {
    const text = 'id: 3\nevent: gap\ndata: {"missed":2}\n\n: ping\n\nid: 4\nevent: batch\ndata: []\n\n';
    for (let cut = 0; cut <= text.length; cut++) {
      const { messages, comments } = parse([text.slice(0, cut), text.slice(cut)]);
      expect(messages.map((m) => `${m.event}:${m.lastEventId}:${m.data}`)).toEqual(['gap:3:{"missed":2}', 'batch:4:[]']);
      expect(comments).toEqual(['ping']);
    }
  });

  it('keeps the last id across messages without one, reads retry, ignores unknown fields and empty blocks', () => {
    const { messages, parser } = parse(['id: 9\ndata: a\n\nretry: 2500\nfoo: bar\n\nevent: hello\ndata: b\n\n']);
    expect(messages.map((m) => m.lastEventId)).toEqual(['9', '9']);
    expect(messages[1]!.event).toBe('hello');
    expect(parser.retry).toBe(2500);
  });

  it('takes the value verbatim after a single optional space', () => {
    const { messages } = parse(['data:no-space\n\ndata:  two\n\n']);
    expect(messages.map((m) => m.data)).toEqual(['no-space', ' two']);
  });

  // from the overlay's parser tests
  it('parses batch messages with ids, ignoring comments', () => {
    const { messages } = parse([': ping\n\nid: 7\nevent: batch\ndata: [1,2]\n\n']);
    expect(messages).toEqual([{ event: 'batch', data: '[1,2]', lastEventId: '7' }]);
  });

  it('handles messages split anywhere, CRLF split across chunks, and multi-line data', () => {
    const text = 'retry: 50\r\nevent: hello\r\ndata: {"a":\r\ndata: 1}\r\n\r\nid: 9\nevent: batch\ndata: []\n\n';
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += 3) chunks.push(text.slice(i, i + 3));
    const { messages, parser } = parse(chunks);
    expect(messages).toEqual([
      { event: 'hello', data: '{"a":\n1}', lastEventId: '' },
      { event: 'batch', data: '[]', lastEventId: '9' },
    ]);
    expect(parser.retry).toBe(50);
    const split = parse(['data: x\r', '\n\r', '\n']).messages;
    expect(split).toEqual([{ event: 'message', data: 'x', lastEventId: '' }]);
  });

  it('reads a fetch body to its end, multi-byte characters split across chunks included', async () => {
    const bytes = new TextEncoder().encode('event: batch\ndata: ["é→"]\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 2) controller.enqueue(bytes.slice(i, i + 2));
        controller.close();
      },
    });
    const messages: SseMessage[] = [];
    await readSseBody(
      body,
      createSseParser((m) => messages.push(m)),
    );
    expect(messages).toEqual([{ event: 'batch', data: '["é→"]', lastEventId: '' }]);
  });
});
