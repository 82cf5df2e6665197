import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineOfField, splitFieldPath } from '../../src/fieldPaths.js';

const definition = JSON.stringify(
  { name: 'x', nodes: [{ id: 'a', type: 'transform', config: { expression: '1' } }, { id: 'b', type: 'teleport' }], edges: [{ from: 'a', to: 'zz' }] },
  null,
  2,
);
const lineOf = (text) => definition.split('\n').findIndex((line) => line.includes(text)) + 1;

test('field paths of problems split into keys and indexes', () => {
  assert.deepEqual(splitFieldPath('nodes[1].config.expression'), ['nodes', 1, 'config', 'expression']);
  assert.deepEqual(splitFieldPath('inputs.x'), ['inputs', 'x']);
  assert.deepEqual(splitFieldPath(''), []);
});

test('an error is placed on the line of its field', () => {
  assert.equal(lineOfField(definition, 'nodes[1].type'), lineOf('"teleport"'));
  assert.equal(lineOfField(definition, 'edges[0].to'), lineOf('"zz"'));
  assert.equal(lineOfField(definition, 'name'), lineOf('"name"'));
});

test('a missing field is placed at its nearest enclosing field', () => {
  // nodes[1] has no config: the error goes to where nodes[1] starts.
  const nodeStart = definition.split('\n').findIndex((line, i) => i > lineOf('"expression"') && line.trim() === '{') + 1;
  assert.equal(lineOfField(definition, 'nodes[1].config.expression'), nodeStart);
  assert.equal(lineOfField(definition, 'output'), 1);
  assert.equal(lineOfField('not json at all', 'nodes[0]'), 1);
});
