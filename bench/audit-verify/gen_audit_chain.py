#!/usr/bin/env python3
"""Writes a valid audit chain for timing `audit verify` (docs/benchmarks.md, "Audit digests and verify").

    gen_audit_chain.py OUT_DIR RECORDS RECORDS_PER_SEGMENT [--sign KEY_PEM_OUT]

Segments OUT_DIR/bench.<firstSeq:D12>.jsonl and digests OUT_DIR/digests/bench.<lastSeq:D12>.digest.json in the
formats of docs/audit-log.md (hash rule, digest members in order). With --sign, every digest is signed with a fresh
ECDSA P-256 key (SHA-256, DER, as KMS signs) and the public key is written as PEM to KEY_PEM_OUT.
"""
import base64
import hashlib
import os
import sys

out, total, per_segment = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
key = None
if len(sys.argv) > 5 and sys.argv[4] == "--sign":
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    key = ec.generate_private_key(ec.SECP256R1())
    with open(sys.argv[5], "wb") as f:
        f.write(key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))

os.makedirs(os.path.join(out, "digests"), exist_ok=True)
zeros = "0" * 64
prev, previous_digest = zeros, zeros
key_id = "arn:aws:kms:eu-west-1:111122223333:key/0c1d2e3f-aaaa-bbbb-cccc-111122223333"
seq = 0
while seq < total:
    first = seq + 1
    last = min(total, seq + per_segment)
    segment = "bench.%012d.jsonl" % first
    lines = []
    for seq in range(first, last + 1):
        t = "2026-12-03T%02d:%02d:%02d.%03dZ" % ((seq // 3600000) % 24, (seq // 60000) % 60, (seq // 1000) % 60, seq % 1000)
        body = ('{"seq":%d,"time":"%s","workerId":"bench-1","decision":"no-match","eventId":"evt-%d",'
                '"source":"aws.cloudformation","detailType":"CloudFormation Stack Status Change","account":"111122223333",'
                '"region":"eu-west-1","resource":"arn:aws:cloudformation:eu-west-1:111122223333:stack/orders-%d/8a3c5e10",'
                '"configHash":"9d24ca3d66cf","prevHash":"%s"' % (seq, t, seq, seq % 97, prev))
        prev = hashlib.sha256((body + "}").encode()).hexdigest()
        lines.append('%s,"hash":"%s"}\n' % (body, prev))
    with open(os.path.join(out, segment), "w") as f:
        f.write("".join(lines))
    digest = ('{"version":1,"workerId":"bench-1","segment":"%s","firstSeq":%d,"lastSeq":%d,"headHash":"%s",'
              '"time":"2026-12-03T06:00:00.000Z","previousDigestHash":"%s"' % (segment, first, last, prev, previous_digest))
    if key is not None:
        digest += ',"keyId":"%s"' % key_id
        signature = key.sign((digest + "}").encode(), ec.ECDSA(hashes.SHA256()))
        digest += ',"signature":"%s"' % base64.b64encode(signature).decode()
    digest = (digest + "}\n").encode()
    with open(os.path.join(out, "digests", "bench.%012d.digest.json" % last), "wb") as f:
        f.write(digest)
    previous_digest = hashlib.sha256(digest).hexdigest()
    seq = last
