;; ChaCha20 as D. J. Bernstein defined it and OpenSSH's chacha20-poly1305@openssh.com uses it: a 64-bit block
;; counter in state words 12..13 and a 64-bit nonce in words 14..15 (RFC 8439 §2.3 has the same block function with a
;; 32-bit counter and 96-bit nonce). Used for short inputs such as the 4-byte packet length, where setting up an
;; OpenSSL cipher costs far more than the block itself.
;; Built into crypto/chacha20-wasm-module.ts by scripts/build-wasm.mjs (our own assembler; no other tool).
;;
;; Memory layout (bytes):
;;   0..31    key in                  32..39  nonce in
;;   64..127  one keystream block     128..   data buffer, encrypted or decrypted in place (to the end of memory)
(module
  (memory (export "memory") 1)
  (global (export "keyOffset") i32 (i32.const 0))
  (global (export "nonceOffset") i32 (i32.const 32))
  (global (export "bufferOffset") i32 (i32.const 128))

  ;; RFC 8439 §2.3: the block function: 20 rounds (10 column + diagonal double rounds) over the initial state,
  ;; then the initial state added word by word; the 64 bytes of keystream are written at 64.
  (func $block (param $lo i32) (param $hi i32)
    (local $round i32) (local $x0 i32) (local $x1 i32) (local $x2 i32) (local $x3 i32) (local $x4 i32) (local $x5 i32) (local $x6 i32) (local $x7 i32) (local $x8 i32) (local $x9 i32) (local $x10 i32) (local $x11 i32) (local $x12 i32) (local $x13 i32) (local $x14 i32) (local $x15 i32)
    (local.set $round (i32.const 10))
        (local.set $x0 (i32.const 0x61707865))
        (local.set $x1 (i32.const 0x3320646e))
        (local.set $x2 (i32.const 0x79622d32))
        (local.set $x3 (i32.const 0x6b206574))
        (local.set $x4 (i32.load offset=0 (i32.const 0)))
        (local.set $x5 (i32.load offset=4 (i32.const 0)))
        (local.set $x6 (i32.load offset=8 (i32.const 0)))
        (local.set $x7 (i32.load offset=12 (i32.const 0)))
        (local.set $x8 (i32.load offset=16 (i32.const 0)))
        (local.set $x9 (i32.load offset=20 (i32.const 0)))
        (local.set $x10 (i32.load offset=24 (i32.const 0)))
        (local.set $x11 (i32.load offset=28 (i32.const 0)))
        (local.set $x12 (local.get $lo))
        (local.set $x13 (local.get $hi))
        (local.set $x14 (i32.load (i32.const 32)))
        (local.set $x15 (i32.load (i32.const 36)))
    (loop $double
        ;; column rounds
        (local.set $x12 (i32.rotl (i32.xor (local.get $x12) (local.tee $x0 (i32.add (local.get $x0) (local.get $x4)))) (i32.const 16)))
        (local.set $x4 (i32.rotl (i32.xor (local.get $x4) (local.tee $x8 (i32.add (local.get $x8) (local.get $x12)))) (i32.const 12)))
        (local.set $x12 (i32.rotl (i32.xor (local.get $x12) (local.tee $x0 (i32.add (local.get $x0) (local.get $x4)))) (i32.const 8)))
        (local.set $x4 (i32.rotl (i32.xor (local.get $x4) (local.tee $x8 (i32.add (local.get $x8) (local.get $x12)))) (i32.const 7)))
        (local.set $x13 (i32.rotl (i32.xor (local.get $x13) (local.tee $x1 (i32.add (local.get $x1) (local.get $x5)))) (i32.const 16)))
        (local.set $x5 (i32.rotl (i32.xor (local.get $x5) (local.tee $x9 (i32.add (local.get $x9) (local.get $x13)))) (i32.const 12)))
        (local.set $x13 (i32.rotl (i32.xor (local.get $x13) (local.tee $x1 (i32.add (local.get $x1) (local.get $x5)))) (i32.const 8)))
        (local.set $x5 (i32.rotl (i32.xor (local.get $x5) (local.tee $x9 (i32.add (local.get $x9) (local.get $x13)))) (i32.const 7)))
        (local.set $x14 (i32.rotl (i32.xor (local.get $x14) (local.tee $x2 (i32.add (local.get $x2) (local.get $x6)))) (i32.const 16)))
        (local.set $x6 (i32.rotl (i32.xor (local.get $x6) (local.tee $x10 (i32.add (local.get $x10) (local.get $x14)))) (i32.const 12)))
        (local.set $x14 (i32.rotl (i32.xor (local.get $x14) (local.tee $x2 (i32.add (local.get $x2) (local.get $x6)))) (i32.const 8)))
        (local.set $x6 (i32.rotl (i32.xor (local.get $x6) (local.tee $x10 (i32.add (local.get $x10) (local.get $x14)))) (i32.const 7)))
        (local.set $x15 (i32.rotl (i32.xor (local.get $x15) (local.tee $x3 (i32.add (local.get $x3) (local.get $x7)))) (i32.const 16)))
        (local.set $x7 (i32.rotl (i32.xor (local.get $x7) (local.tee $x11 (i32.add (local.get $x11) (local.get $x15)))) (i32.const 12)))
        (local.set $x15 (i32.rotl (i32.xor (local.get $x15) (local.tee $x3 (i32.add (local.get $x3) (local.get $x7)))) (i32.const 8)))
        (local.set $x7 (i32.rotl (i32.xor (local.get $x7) (local.tee $x11 (i32.add (local.get $x11) (local.get $x15)))) (i32.const 7)))
        ;; diagonal rounds
        (local.set $x15 (i32.rotl (i32.xor (local.get $x15) (local.tee $x0 (i32.add (local.get $x0) (local.get $x5)))) (i32.const 16)))
        (local.set $x5 (i32.rotl (i32.xor (local.get $x5) (local.tee $x10 (i32.add (local.get $x10) (local.get $x15)))) (i32.const 12)))
        (local.set $x15 (i32.rotl (i32.xor (local.get $x15) (local.tee $x0 (i32.add (local.get $x0) (local.get $x5)))) (i32.const 8)))
        (local.set $x5 (i32.rotl (i32.xor (local.get $x5) (local.tee $x10 (i32.add (local.get $x10) (local.get $x15)))) (i32.const 7)))
        (local.set $x12 (i32.rotl (i32.xor (local.get $x12) (local.tee $x1 (i32.add (local.get $x1) (local.get $x6)))) (i32.const 16)))
        (local.set $x6 (i32.rotl (i32.xor (local.get $x6) (local.tee $x11 (i32.add (local.get $x11) (local.get $x12)))) (i32.const 12)))
        (local.set $x12 (i32.rotl (i32.xor (local.get $x12) (local.tee $x1 (i32.add (local.get $x1) (local.get $x6)))) (i32.const 8)))
        (local.set $x6 (i32.rotl (i32.xor (local.get $x6) (local.tee $x11 (i32.add (local.get $x11) (local.get $x12)))) (i32.const 7)))
        (local.set $x13 (i32.rotl (i32.xor (local.get $x13) (local.tee $x2 (i32.add (local.get $x2) (local.get $x7)))) (i32.const 16)))
        (local.set $x7 (i32.rotl (i32.xor (local.get $x7) (local.tee $x8 (i32.add (local.get $x8) (local.get $x13)))) (i32.const 12)))
        (local.set $x13 (i32.rotl (i32.xor (local.get $x13) (local.tee $x2 (i32.add (local.get $x2) (local.get $x7)))) (i32.const 8)))
        (local.set $x7 (i32.rotl (i32.xor (local.get $x7) (local.tee $x8 (i32.add (local.get $x8) (local.get $x13)))) (i32.const 7)))
        (local.set $x14 (i32.rotl (i32.xor (local.get $x14) (local.tee $x3 (i32.add (local.get $x3) (local.get $x4)))) (i32.const 16)))
        (local.set $x4 (i32.rotl (i32.xor (local.get $x4) (local.tee $x9 (i32.add (local.get $x9) (local.get $x14)))) (i32.const 12)))
        (local.set $x14 (i32.rotl (i32.xor (local.get $x14) (local.tee $x3 (i32.add (local.get $x3) (local.get $x4)))) (i32.const 8)))
        (local.set $x4 (i32.rotl (i32.xor (local.get $x4) (local.tee $x9 (i32.add (local.get $x9) (local.get $x14)))) (i32.const 7)))
        (br_if $double (local.tee $round (i32.sub (local.get $round) (i32.const 1)))))
    (i32.store offset=64 (i32.const 0) (i32.add (local.get $x0) (i32.const 0x61707865)))
    (i32.store offset=68 (i32.const 0) (i32.add (local.get $x1) (i32.const 0x3320646e)))
    (i32.store offset=72 (i32.const 0) (i32.add (local.get $x2) (i32.const 0x79622d32)))
    (i32.store offset=76 (i32.const 0) (i32.add (local.get $x3) (i32.const 0x6b206574)))
    (i32.store offset=80 (i32.const 0) (i32.add (local.get $x4) (i32.load offset=0 (i32.const 0))))
    (i32.store offset=84 (i32.const 0) (i32.add (local.get $x5) (i32.load offset=4 (i32.const 0))))
    (i32.store offset=88 (i32.const 0) (i32.add (local.get $x6) (i32.load offset=8 (i32.const 0))))
    (i32.store offset=92 (i32.const 0) (i32.add (local.get $x7) (i32.load offset=12 (i32.const 0))))
    (i32.store offset=96 (i32.const 0) (i32.add (local.get $x8) (i32.load offset=16 (i32.const 0))))
    (i32.store offset=100 (i32.const 0) (i32.add (local.get $x9) (i32.load offset=20 (i32.const 0))))
    (i32.store offset=104 (i32.const 0) (i32.add (local.get $x10) (i32.load offset=24 (i32.const 0))))
    (i32.store offset=108 (i32.const 0) (i32.add (local.get $x11) (i32.load offset=28 (i32.const 0))))
    (i32.store offset=112 (i32.const 0) (i32.add (local.get $x12) (local.get $lo)))
    (i32.store offset=116 (i32.const 0) (i32.add (local.get $x13) (local.get $hi)))
    (i32.store offset=120 (i32.const 0) (i32.add (local.get $x14) (i32.load (i32.const 32))))
    (i32.store offset=124 (i32.const 0) (i32.add (local.get $x15) (i32.load (i32.const 36)))))

  ;; XOR len bytes of the buffer with the keystream from block counter (hi:lo) on; the key, nonce and keystream
  ;; are wiped afterwards.
  (func (export "xor") (param $len i32) (param $lo i32) (param $hi i32)
    (local $ptr i32) (local $end i32) (local $i i32)
    (local.set $ptr (i32.const 128))
    (local.set $end (i32.add (i32.const 128) (local.get $len)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $ptr) (local.get $end)))
        (call $block (local.get $lo) (local.get $hi))
        (local.set $i (i32.const 0))
        (loop $bytes
          (br_if $done (i32.ge_u (i32.add (local.get $ptr) (local.get $i)) (local.get $end)))
          (i32.store8 (i32.add (local.get $ptr) (local.get $i))
            (i32.xor (i32.load8_u (i32.add (local.get $ptr) (local.get $i))) (i32.load8_u offset=64 (local.get $i))))
          (br_if $bytes (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 64))))
        ;; the 64-bit counter moves on
        (local.set $lo (i32.add (local.get $lo) (i32.const 1)))
        (local.set $hi (i32.add (local.get $hi) (i32.eqz (local.get $lo))))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 64)))
        (br $next)))
    (local.set $i (i32.const 0))
    (loop $wipe
      (i64.store (local.get $i) (i64.const 0))
      (br_if $wipe (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 8))) (i32.const 128))))))
