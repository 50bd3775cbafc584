// ECDSA on P-256/384/521 with RFC 5656 §6.2.1's hashes: RFC 6979 Appendix A.2.5-A.2.7 vectors for both backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ECDSA, ECDSA_BACKENDS, nistOrder, nistPointValid, nistPublicKey, type NistCurveName } from '@tssh/ssh-protocol/crypto';
import { concatBytes, fromHex, toHex, utf8 } from '@tssh/ssh-protocol/wire';

interface Vector {
  curve: NistCurveName;
  x: string;
  ux: string;
  uy: string;
  /** message -> [r, s], with the curve's own hash (SHA-256, SHA-384, SHA-512). */
  sigs: Record<'sample' | 'test', [string, string]>;
}

// RFC 6979 A.2.5 (P-256, SHA-256), A.2.6 (P-384, SHA-384), A.2.7 (P-521, SHA-512).
const VECTORS: readonly Vector[] = [
  {
    curve: 'nistp256',
    x: 'C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721',
    ux: '60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6',
    uy: '7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299',
    sigs: {
      sample: [
        'EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716',
        'F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8',
      ],
      test: [
        'F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367',
        '019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083',
      ],
    },
  },
  {
    curve: 'nistp384',
    x: '6B9D3DAD2E1B8C1C05B19875B6659F4DE23C3B667BF297BA9AA47740787137D896D5724E4C70A825F872C9EA60D2EDF5',
    ux: 'EC3A4E415B4E19A4568618029F427FA5DA9A8BC4AE92E02E06AAE5286B300C64DEF8F0EA9055866064A254515480BC13',
    uy: '8015D9B72D7D57244EA8EF9AC0C621896708A59367F9DFB9F54CA84B3F1C9DB1288B231C3AE0D4FE7344FD2533264720',
    sigs: {
      sample: [
        '94EDBB92A5ECB8AAD4736E56C691916B3F88140666CE9FA73D64C4EA95AD133C81A648152E44ACF96E36DD1E80FABE46',
        '99EF4AEB15F178CEA1FE40DB2603138F130E740A19624526203B6351D0A3A94FA329C145786E679E7B82C71A38628AC8',
      ],
      test: [
        '8203B63D3C853E8D77227FB377BCF7B7B772E97892A80F36AB775D509D7A5FEB0542A7F0812998DA8F1DD3CA3CF023DB',
        'DDD0760448D42D8A43AF45AF836FCE4DE8BE06B485E9B61B827C2F13173923E06A739F040649A667BF3B828246BAA5A5',
      ],
    },
  },
  {
    curve: 'nistp521',
    x: '00FAD06DAA62BA3B25D2FB40133DA757205DE67F5BB0018FEE8C86E1B68C7E75CAA896EB32F1F47C70855836A6D16FCC1466F6D8FBEC67DB89EC0C08B0E996B83538',
    ux: '01894550D0785932E00EAA23B694F213F8C3121F86DC97A04E5A7167DB4E5BCD371123D46E45DB6B5D5370A7F20FB633155D38FFA16D2BD761DCAC474B9A2F5023A4',
    uy: '00493101C962CD4D2FDDF782285E64584139C2F91B47F87FF82354D6630F746A28A0DB25741B5B34A828008B22ACC23F924FAAFBD4D33F81EA66956DFEAA2BFDFCF5',
    sigs: {
      sample: [
        '00C328FAFCBD79DD77850370C46325D987CB525569FB63C5D3BC53950E6D4C5F174E25A1EE9017B5D450606ADD152B534931D7D4E8455CC91F9B15BF05EC36E377FA',
        '00617CCE7CF5064806C467F678D3B4080D6F1CC50AF26CA209417308281B68AF282623EAA63E5B5C0723D8B8C37FF0777B1A20F8CCB1DCCC43997F1EE0E44DA4A67A',
      ],
      test: [
        '013E99020ABF5CEE7525D16B69B229652AB6BDF2AFFCAEF38773B4B7D08725F10CDB93482FDCC54EDCEE91ECA4166B2A7C6265EF0CE2BD7051B7CEF945BABD47EE6D',
        '01FBD0013C674AA79CB39849527916CE301C66EA7CE8B80682786AD60F98F7E78A19CA69EFF5C57400E3B3A0AD66CE0978214D13BAF4E9AC60752F7B155E2DE4DCE3',
      ],
    },
  },
];

const point = (v: Vector) => concatBytes(Uint8Array.of(4), fromHex(v.ux), fromHex(v.uy));
const noble = ECDSA_BACKENDS.find((b) => b.name === 'noble')!;

for (const v of VECTORS) {
  test(`${v.curve}: the public key of the RFC 6979 private key, from each backend`, () => {
    for (const backend of ECDSA_BACKENDS) assert.equal(toHex(backend.publicKey(v.curve, fromHex(v.x))), toHex(point(v)), backend.name);
    assert.equal(toHex(nistPublicKey(v.curve, fromHex(v.x))), toHex(point(v)));
    assert.ok(nistPointValid(v.curve, point(v)));
  });

  for (const [message, [r, s]] of Object.entries(v.sigs)) {
    test(`${v.curve} "${message}": noble signs the RFC 6979 deterministic signature`, () => {
      assert.equal(toHex(noble.sign(v.curve, fromHex(v.x), point(v), utf8(message))), (r + s).toLowerCase());
    });

    for (const backend of ECDSA_BACKENDS) {
      test(`${v.curve} "${message}": ${backend.name} verifies the RFC 6979 signature and refuses altered ones`, () => {
        const rs = fromHex(r + s);
        assert.equal(backend.verify(v.curve, point(v), utf8(message), rs), true);
        assert.equal(backend.verify(v.curve, point(v), utf8(`${message}!`), rs), false);
        const flipped = rs.slice();
        flipped[rs.length - 1] ^= 1;
        assert.equal(backend.verify(v.curve, point(v), utf8(message), flipped), false);
        assert.equal(backend.verify(v.curve, point(v), utf8(message), rs.subarray(1)), false);
        // The same signature with s replaced by n - s is also valid ECDSA (no low-s rule, as in OpenSSL).
        const n = nistOrder(v.curve);
        const len = rs.length / 2;
        const highS = (n - BigInt(`0x${s}`)).toString(16).padStart(len * 2, '0');
        assert.equal(backend.verify(v.curve, point(v), utf8(message), fromHex(r + highS)), true);
      });
    }
  }

  test(`${v.curve}: each backend verifies what the other signs`, () => {
    const msg = utf8(`cross-check ${v.curve}`);
    for (const signer of ECDSA_BACKENDS) {
      const rs = signer.sign(v.curve, fromHex(v.x), point(v), msg);
      for (const verifier of ECDSA_BACKENDS) assert.equal(verifier.verify(v.curve, point(v), msg, rs), true, `${signer.name} -> ${verifier.name}`);
    }
  });
}

test('nistPointValid refuses what is not an uncompressed point on the curve', () => {
  const p = point(VECTORS[0]);
  const offCurve = p.slice();
  offCurve[offCurve.length - 1] ^= 1;
  const compressed = concatBytes(Uint8Array.of(2 + (p[p.length - 1] & 1)), p.subarray(1, 33));
  const prefixed = p.slice();
  prefixed[0] = 6;
  for (const [what, bad] of [
    ['off the curve', offCurve],
    ['compressed', compressed],
    ['hybrid prefix', prefixed],
    ['truncated', p.subarray(0, 64)],
    ['too long', concatBytes(p, Uint8Array.of(0))],
    ['empty', new Uint8Array(0)],
    ['infinity', Uint8Array.of(0)],
    ['a P-256 point on P-384', p],
  ] as const) {
    assert.equal(nistPointValid(what === 'a P-256 point on P-384' ? 'nistp384' : 'nistp256', bad), false, what);
  }
});

test('the default backend is the faster node:crypto one', () => {
  assert.equal(ECDSA.name, 'node');
});
