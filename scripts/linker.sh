#!/bin/sh
# The linker driver of x86_64 Linux builds (see .cargo/config.toml): Debian's mold when it
# is installed, which links the large test and server binaries several times faster than
# the default linker; the system's default otherwise.
if command -v mold >/dev/null 2>&1; then
  exec cc -fuse-ld=mold "$@"
fi
exec cc "$@"
