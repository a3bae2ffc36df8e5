#!/bin/sh
# examples/demo.sh, the README's `make demo`, runs to the end with the
# example data, so the examples stay true.
. "$TOP/tests/e2e/lib.sh"
DEMO_WORK="$T/demo" && mkdir -p "$DEMO_WORK" && export DEMO_WORK
run sh "$TOP/examples/demo.sh"
check_status "examples/demo.sh runs to the end" 0
check_grep "demo reports it finished" "^### demo finished" "$T/out"
done_testing
