// A small WebAssembly text-format assembler: the subset of the WebAssembly Core Specification (text format §6,
// binary format §5) that our hand-written modules use: one memory, immutable globals, functions with integer and
// v128 locals, folded or flat instructions, block/loop/if, integer arithmetic, loads/stores and a few SIMD ops.
// Anything outside the subset is an error, never silently dropped.

const VALTYPE = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };

// Plain opcodes: the integer part of the MVP instruction set (binary format §5.4).
const PLAIN = {
  unreachable: [0x00], nop: [0x01], return: [0x0f], drop: [0x1a], select: [0x1b],
  'i32.eqz': [0x45], 'i32.eq': [0x46], 'i32.ne': [0x47], 'i32.lt_s': [0x48], 'i32.lt_u': [0x49],
  'i32.gt_s': [0x4a], 'i32.gt_u': [0x4b], 'i32.le_s': [0x4c], 'i32.le_u': [0x4d], 'i32.ge_s': [0x4e], 'i32.ge_u': [0x4f],
  'i64.eqz': [0x50], 'i64.eq': [0x51], 'i64.ne': [0x52], 'i64.lt_s': [0x53], 'i64.lt_u': [0x54],
  'i64.gt_s': [0x55], 'i64.gt_u': [0x56], 'i64.le_s': [0x57], 'i64.le_u': [0x58], 'i64.ge_s': [0x59], 'i64.ge_u': [0x5a],
  'i32.clz': [0x67], 'i32.ctz': [0x68], 'i32.popcnt': [0x69], 'i32.add': [0x6a], 'i32.sub': [0x6b], 'i32.mul': [0x6c],
  'i32.div_s': [0x6d], 'i32.div_u': [0x6e], 'i32.rem_s': [0x6f], 'i32.rem_u': [0x70], 'i32.and': [0x71],
  'i32.or': [0x72], 'i32.xor': [0x73], 'i32.shl': [0x74], 'i32.shr_s': [0x75], 'i32.shr_u': [0x76],
  'i32.rotl': [0x77], 'i32.rotr': [0x78],
  'i64.clz': [0x79], 'i64.ctz': [0x7a], 'i64.popcnt': [0x7b], 'i64.add': [0x7c], 'i64.sub': [0x7d], 'i64.mul': [0x7e],
  'i64.div_s': [0x7f], 'i64.div_u': [0x80], 'i64.rem_s': [0x81], 'i64.rem_u': [0x82], 'i64.and': [0x83],
  'i64.or': [0x84], 'i64.xor': [0x85], 'i64.shl': [0x86], 'i64.shr_s': [0x87], 'i64.shr_u': [0x88],
  'i64.rotl': [0x89], 'i64.rotr': [0x8a],
  'i32.wrap_i64': [0xa7], 'i64.extend_i32_s': [0xac], 'i64.extend_i32_u': [0xad],
  'i32.extend8_s': [0xc0], 'i32.extend16_s': [0xc1], 'i64.extend8_s': [0xc2], 'i64.extend16_s': [0xc3],
  'i64.extend32_s': [0xc4],
};

// Fixed-width SIMD (prefix 0xfd, then the opcode as unsigned LEB128): the lane operations we use.
const SIMD = {
  'i64x2.add': 206, 'i64x2.sub': 209, 'i64x2.mul': 213, 'i64x2.shl': 203, 'i64x2.shr_u': 205, 'i64x2.shr_s': 204,
  'i64x2.extmul_low_i32x4_u': 222, 'i64x2.extmul_high_i32x4_u': 223, 'i64x2.extend_low_i32x4_u': 201,
  'i64x2.extend_high_i32x4_u': 202, 'i64x2.splat': 18, 'i32x4.splat': 17, 'i64x2.extract_lane': 29,
  'i64x2.replace_lane': 30, 'i32x4.extract_lane': 27, 'i32x4.replace_lane': 28,
  'i32x4.add': 174, 'i32x4.sub': 177, 'i32x4.shl': 171, 'i32x4.shr_u': 173,
  'v128.and': 78, 'v128.or': 80, 'v128.xor': 81, 'v128.andnot': 79, 'v128.not': 77,
};
const SIMD_LANE = new Set(['i64x2.extract_lane', 'i64x2.replace_lane', 'i32x4.extract_lane', 'i32x4.replace_lane']);

// Loads and stores with their natural alignment (log2 of the access width) (binary format §5.4.6).
const MEMORY = {
  'i32.load': [0x28, 2], 'i64.load': [0x29, 3], 'i32.load8_s': [0x2c, 0], 'i32.load8_u': [0x2d, 0],
  'i32.load16_s': [0x2e, 1], 'i32.load16_u': [0x2f, 1], 'i64.load8_s': [0x30, 0], 'i64.load8_u': [0x31, 0],
  'i64.load16_s': [0x32, 1], 'i64.load16_u': [0x33, 1], 'i64.load32_s': [0x34, 2], 'i64.load32_u': [0x35, 2],
  'i32.store': [0x36, 2], 'i64.store': [0x37, 3], 'i32.store8': [0x3a, 0], 'i32.store16': [0x3b, 1],
  'i64.store8': [0x3c, 0], 'i64.store16': [0x3d, 1], 'i64.store32': [0x3e, 2],
  'v128.load': [0xfd, 4, 0], 'v128.store': [0xfd, 4, 11], 'v128.load32_zero': [0xfd, 2, 92],
};

class WatError extends Error {}

// ---- text: tokens and s-expressions (text format §6.2, §6.3) ----

function tokenize(text) {
  const out = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) i++;
    else if (text.startsWith(';;', i)) i = text.indexOf('\n', i) === -1 ? text.length : text.indexOf('\n', i);
    else if (text.startsWith('(;', i)) {
      let depth = 0;
      do {
        if (text.startsWith('(;', i)) (depth++, (i += 2));
        else if (text.startsWith(';)', i)) (depth--, (i += 2));
        else if (i >= text.length) throw new WatError('unterminated block comment');
        else i++;
      } while (depth > 0);
    } else if (ch === '(' || ch === ')') out.push((i++, ch));
    else if (ch === '"') {
      const bytes = [];
      for (i++; text[i] !== '"'; i++) {
        if (i >= text.length) throw new WatError('unterminated string');
        if (text[i] === '\\') {
          const e = text[++i];
          const simple = { n: 10, t: 9, r: 13, '"': 34, "'": 39, '\\': 92 }[e];
          if (simple !== undefined) bytes.push(simple);
          else (bytes.push(parseInt(text.slice(i, i + 2), 16)), i++);
        } else bytes.push(...new TextEncoder().encode(text[i]));
      }
      i++;
      out.push({ string: Uint8Array.from(bytes) });
    } else {
      const m = /^[^\s()";]+/.exec(text.slice(i, i + 200));
      out.push(m[0]);
      i += m[0].length;
    }
  }
  return out;
}

function parse(tokens) {
  let pos = 0;
  function item() {
    const t = tokens[pos++];
    if (t === '(') {
      const list = [];
      while (tokens[pos] !== ')') {
        if (pos >= tokens.length) throw new WatError('unbalanced parentheses');
        list.push(item());
      }
      pos++;
      return list;
    }
    if (t === ')') throw new WatError('unexpected )');
    return t;
  }
  const top = item();
  if (pos !== tokens.length) throw new WatError('text after the module');
  return top;
}

// ---- binary helpers (binary format §5.1, §5.2) ----

function uleb(n) {
  let v = BigInt(n);
  const out = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return out;
}

function sleb(n) {
  let v = BigInt(n);
  const out = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

function integer(text, bits) {
  const neg = text.startsWith('-');
  const body = text.replace(/^[+-]/, '').replaceAll('_', '');
  if (!/^(0x[0-9a-fA-F]+|[0-9]+)$/.test(body)) throw new WatError(`bad integer ${text}`);
  let v = BigInt(body);
  if (neg) v = -v;
  const limit = 1n << BigInt(bits);
  if (v < -(limit >> 1n) || v >= limit) throw new WatError(`${text} does not fit in ${bits} bits`);
  return BigInt.asIntN(bits, v);
}

const name = (bytes) => [...uleb(bytes.length), ...bytes];
const vec = (items) => [...uleb(items.length), ...items.flat()];
const section = (id, bytes) => (bytes.length ? [id, ...uleb(bytes.length), ...bytes] : []);

function valtype(t) {
  if (!(t in VALTYPE)) throw new WatError(`unknown value type ${t}`);
  return VALTYPE[t];
}

// ---- module ----

export function assemble(text) {
  const mod = parse(tokenize(text));
  if (!Array.isArray(mod) || mod[0] !== 'module') throw new WatError('expected (module ...)');
  const fields = mod.slice(1).filter((f) => !(typeof f === 'string' && f.startsWith('$')));
  const funcs = [];
  const globals = [];
  const exports = [];
  let memory;
  const types = [];
  const typeIndex = (params, results) => {
    const key = `${params.join()}->${results.join()}`;
    let i = types.findIndex((t) => t.key === key);
    if (i < 0) i = types.push({ key, params, results }) - 1;
    return i;
  };

  for (const f of fields) {
    if (!Array.isArray(f)) throw new WatError(`unexpected ${f} in module`);
    const [kind, ...rest] = f;
    const id = typeof rest[0] === 'string' && rest[0].startsWith('$') ? rest.shift() : undefined;
    const inlineExports = [];
    while (Array.isArray(rest[0]) && rest[0][0] === 'export') inlineExports.push(rest.shift()[1].string);
    if (kind === 'memory') {
      if (memory) throw new WatError('one memory only');
      memory = rest.map((n) => Number(integer(n, 33)));
      for (const e of inlineExports) exports.push({ name: e, kind: 2, index: 0 });
    } else if (kind === 'global') {
      const [type, init] = rest;
      if (Array.isArray(type)) throw new WatError('mutable globals are not supported');
      for (const e of inlineExports) exports.push({ name: e, kind: 3, index: globals.length });
      globals.push({ id, type, init });
    } else if (kind === 'func') {
      const params = [];
      const results = [];
      const locals = [];
      const names = new Map();
      while (Array.isArray(rest[0]) && ['param', 'result', 'local'].includes(rest[0][0])) {
        const [what, ...decl] = rest.shift();
        const target = what === 'result' ? results : what === 'param' ? params : locals;
        if (what !== 'result' && decl[0]?.startsWith('$')) {
          names.set(decl[0], params.length + locals.length);
          target.push(decl[1]);
        } else target.push(...decl);
      }
      for (const e of inlineExports) exports.push({ name: e, kind: 0, index: funcs.length });
      funcs.push({ id, params, results, locals, names, body: rest, type: typeIndex(params, results) });
    } else throw new WatError(`module field ${kind} is not supported`);
  }

  const funcIndex = new Map(funcs.flatMap((f, i) => (f.id ? [[f.id, i]] : [])));
  const globalIndex = new Map(globals.flatMap((g, i) => (g.id ? [[g.id, i]] : [])));
  const lookup = (map, ref, what) => {
    if (/^[0-9]/.test(ref)) return Number(ref);
    if (!map.has(ref)) throw new WatError(`unknown ${what} ${ref}`);
    return map.get(ref);
  };

  // The instruction bytes of a function body or constant expression, ending with `end` (binary format §5.4.9).
  function expression(func, items) {
    const out = [];
    const labels = [];
    const label = (ref) => {
      if (/^[0-9]/.test(ref)) return Number(ref);
      const i = labels.lastIndexOf(ref);
      if (i < 0) throw new WatError(`unknown label ${ref}`);
      return labels.length - 1 - i;
    };
    const blockType = (items) => {
      if (Array.isArray(items[0]) && items[0][0] === 'result') {
        const r = items.shift();
        if (r.length !== 2) throw new WatError('multi-value blocks are not supported');
        return [valtype(r[1])];
      }
      return [0x40];
    };
    // One instruction from a flat sequence, with its immediates taken from `items` (consumed in place).
    function immediates(op, items) {
      const take = () => {
        if (typeof items[0] !== 'string') throw new WatError(`${op} needs an immediate`);
        return items.shift();
      };
      if (op in PLAIN) return PLAIN[op];
      if (op in SIMD) return [0xfd, ...uleb(SIMD[op]), ...(SIMD_LANE.has(op) ? [Number(take())] : [])];
      if (op === 'local.get' || op === 'local.set' || op === 'local.tee') {
        return [{ 'local.get': 0x20, 'local.set': 0x21, 'local.tee': 0x22 }[op], ...uleb(lookup(func.names, take(), 'local'))];
      }
      if (op === 'global.get') return [0x23, ...uleb(lookup(globalIndex, take(), 'global'))];
      if (op === 'call') return [0x10, ...uleb(lookup(funcIndex, take(), 'function'))];
      if (op === 'br' || op === 'br_if') return [op === 'br' ? 0x0c : 0x0d, ...uleb(label(take()))];
      if (op === 'i32.const') return [0x41, ...sleb(integer(take(), 32))];
      if (op === 'i64.const') return [0x42, ...sleb(integer(take(), 64))];
      if (op === 'v128.const') {
        const shape = take();
        const bits = { i64x2: 64, i32x4: 32 }[shape];
        if (!bits) throw new WatError('v128.const: only the i64x2 and i32x4 shapes are supported');
        const lanes = Array.from({ length: 128 / bits }, () => BigInt.asUintN(bits, integer(take(), bits)));
        const bytes = bits / 8;
        return [0xfd, 12, ...lanes.flatMap((v) => Array.from({ length: bytes }, (_, k) => Number((v >> BigInt(8 * k)) & 0xffn)))];
      }
      if (op === 'i8x16.shuffle') {
        // 16 lane indices: 0..15 pick bytes of the first operand, 16..31 of the second (SIMD spec, binary 0xfd 13)
        const lanes = Array.from({ length: 16 }, () => Number(integer(take(), 8 + 1)));
        if (lanes.some((l) => l < 0 || l > 31)) throw new WatError('i8x16.shuffle: lane index out of 0..31');
        return [0xfd, 13, ...lanes];
      }
      if (op in MEMORY) {
        const [first, align, simd] = MEMORY[op];
        let offset = 0;
        let log2 = align;
        while (typeof items[0] === 'string' && /^(offset|align)=/.test(items[0])) {
          const [k, v] = items.shift().split('=');
          if (k === 'offset') offset = Number(integer(v, 33));
          else log2 = Math.log2(Number(v));
        }
        return [first, ...(simd === undefined ? [] : uleb(simd)), ...uleb(log2), ...uleb(offset)];
      }
      throw new WatError(`instruction ${op} is not supported`);
    }
    function structured(op, items, folded) {
      const id = typeof items[0] === 'string' && items[0].startsWith('$') ? items.shift() : undefined;
      const bt = blockType(items);
      if (op === 'if' && folded) {
        while (Array.isArray(items[0]) && items[0][0] !== 'then') instr(items.shift());
      }
      out.push({ block: 0x02, loop: 0x03, if: 0x04 }[op], ...bt);
      labels.push(id);
      if (op === 'if' && folded) {
        const [then, otherwise, ...extra] = items;
        if (!Array.isArray(then) || then[0] !== 'then' || extra.length) throw new WatError('malformed folded if');
        sequence(then.slice(1));
        if (otherwise) {
          if (otherwise[0] !== 'else') throw new WatError('malformed folded if');
          out.push(0x05);
          sequence(otherwise.slice(1));
        }
      } else if (folded) sequence(items);
      labels.pop();
      if (folded) out.push(0x0b);
    }
    function instr(list) {
      const [op, ...items] = list;
      if (op === 'block' || op === 'loop' || op === 'if') return structured(op, items, true);
      const bytes = immediates(op, items);
      for (const operand of items) {
        if (!Array.isArray(operand)) throw new WatError(`unexpected ${operand} after ${op}`);
        instr(operand);
      }
      out.push(...bytes);
    }
    function sequence(items) {
      items = [...items];
      while (items.length) {
        const it = items.shift();
        if (Array.isArray(it)) instr(it);
        else if (it === 'block' || it === 'loop' || it === 'if') {
          const id = typeof items[0] === 'string' && items[0].startsWith('$') ? items.shift() : undefined;
          out.push({ block: 0x02, loop: 0x03, if: 0x04 }[it], ...blockType(items));
          labels.push(id);
        } else if (it === 'else') out.push(0x05);
        else if (it === 'end') {
          if (typeof items[0] === 'string' && items[0].startsWith('$')) items.shift();
          labels.pop();
          out.push(0x0b);
        } else out.push(...immediates(it, items));
      }
    }
    sequence(items);
    out.push(0x0b);
    return out;
  }

  function code(func) {
    const groups = [];
    for (const t of func.locals) {
      const last = groups[groups.length - 1];
      if (last && last.type === t) last.count++;
      else groups.push({ type: t, count: 1 });
    }
    const body = [...vec(groups.map((g) => [...uleb(g.count), valtype(g.type)])), ...expression(func, func.body)];
    return [...uleb(body.length), ...body];
  }

  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types.map((t) => [0x60, ...vec(t.params.map(valtype)), ...vec(t.results.map(valtype))]))),
    ...section(3, funcs.length ? vec(funcs.map((f) => uleb(f.type))) : []),
    ...section(5, memory ? vec([memory.length === 1 ? [0x00, ...uleb(memory[0])] : [0x01, ...uleb(memory[0]), ...uleb(memory[1])]]) : []),
    ...section(6, globals.length ? vec(globals.map((g) => [valtype(g.type), 0x00, ...expression({ names: new Map() }, [g.init])])) : []),
    ...section(7, exports.length ? vec(exports.map((e) => [...name(e.name), e.kind, ...uleb(e.index)])) : []),
    ...section(10, funcs.length ? vec(funcs.map(code)) : []),
  ];
  return Uint8Array.from(bytes);
}
