#!/usr/bin/env python3
"""Compiles the files under static/ into C, each with its content type and
an ETag (a hash of its bytes), so the program serves them from memory.

usage: gen-static.py OUT_C FILES...
"""
import hashlib
import os
import sys

TYPES = {
    '.css': 'text/css; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
    '.ico': 'image/x-icon',
    '.txt': 'text/plain; charset=utf-8',
}


def main(argv):
    out, files = argv[1], argv[2:]
    with open(out, 'w', encoding='utf-8') as c:
        c.write('/* Compiled from static/ by scripts/gen-static.py. */\n')
        c.write('#include "pages/static-files.h"\n\n')
        for i, path in enumerate(files):
            data = open(path, 'rb').read()
            c.write('static const unsigned char file_%d[] = {' % i)
            c.write(','.join(str(b) for b in data) or '0')
            c.write('};\n')
        c.write('\nconst static_file static_files[] = {\n')
        for i, path in enumerate(files):
            data = open(path, 'rb').read()
            name = os.path.basename(path)
            ext = os.path.splitext(name)[1]
            etag = '"%s"' % hashlib.sha256(data).hexdigest()[:20]
            c.write('\t{ "%s", "%s", file_%d, %d, "%s" },\n' % (name, TYPES.get(ext, 'application/octet-stream'), i, len(data), etag.replace('"', '\\"')))
        c.write('\t{ 0 }\n};\n')


if __name__ == '__main__':
    main(sys.argv)
