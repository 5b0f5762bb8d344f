#!/usr/bin/env bash
# schemathesis against Twin's MoySklad dialect, from the vendor's own OpenAPI bundle,
# restricted to the entities Twin serves. Two runs, both must pass:
#
#   1. examples  — the request examples of the spec, positive data: what the vendor's own
#                  gate (scripts/local-schemathesis.sh) runs against the real API;
#   2. coverage + stateful — boundary values of every parameter and body field, then
#                  chains of create → get/update/delete through inferred links.
#
# Environment:
#   TWIN_BASE            Twin's base URL, e.g. http://127.0.0.1:8080 (required)
#   MS_LOGIN, MS_PASSWORD a MoySklad login of a fresh account with rate limiting switched
#                        off ({"moysklad": {"rateLimit": false}}) (required)
#   SCHEMATHESIS         the schemathesis executable (default: `schemathesis` beside
#                        TWIN_CONFORMANCE_PYTHON, else on PATH)
#   TWIN_MS_OPENAPI      the bundled spec (default: ../shared/ref/moysklad-openapi/openapi.bundled.yaml
#                        beside the repository)
#   SCHEMATHESIS_MAX_EXAMPLES (default 60: examples per operation and stateful scenarios),
#   SCHEMATHESIS_SEED (default 1),
#   SCHEMATHESIS_REPORT_DIR where JUnit reports go (default: a temp dir, removed when both
#                        runs pass)
#
# Checks left out of every run (the vendor leaves out the same ones): unsupported_method,
# ignored_auth, negative_data_rejection (the real API accepts many malformed values), and in
# run 2 positive_data_acceptance (the spec has no `required` lists, so generated bodies lack
# fields the API needs on create). Spec defects are switched off by operation in
# schemathesis.toml and listed in docs/moysklad/fidelity.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

: "${TWIN_BASE:?TWIN_BASE is not set}"
: "${MS_LOGIN:?MS_LOGIN is not set}"
: "${MS_PASSWORD:?MS_PASSWORD is not set}"
spec=${TWIN_MS_OPENAPI:-$repo/../shared/ref/moysklad-openapi/openapi.bundled.yaml}
[ -f "$spec" ] || { echo "schemathesis.sh: no OpenAPI bundle at $spec (set TWIN_MS_OPENAPI)" >&2; exit 2; }
if [ -n "${SCHEMATHESIS:-}" ]; then
    st=$SCHEMATHESIS
elif [ -n "${TWIN_CONFORMANCE_PYTHON:-}" ]; then
    st=$(dirname "$TWIN_CONFORMANCE_PYTHON")/schemathesis
else
    st=schemathesis
fi
max_examples=${SCHEMATHESIS_MAX_EXAMPLES:-60}
seed=${SCHEMATHESIS_SEED:-1}
if [ -n "${SCHEMATHESIS_REPORT_DIR:-}" ]; then
    reports=$SCHEMATHESIS_REPORT_DIR
    mkdir -p "$reports"
else
    # A temp dir, kept when a run fails (its reports help) and removed when both pass.
    reports=$(mktemp -d /tmp/twin-schemathesis.XXXXXX)
    trap 'if [ $? = 0 ]; then rm -rf "$reports"; else echo "reports kept in $reports" >&2; fi' EXIT
fi

# Paths of the seed's entities (contract included); `/entity/currency(/|$)` does not match
# other keywords that merely start the same way. The goods they refer to (product,
# service, bundle, variant, consignment) run in the examples phase only: their schemas are
# the spec's largest, and the coverage phase over them would take longer than the rest of
# the test suite. Their image, file and store-balance sub-resources are not built.
entities='^/entity/(currency|productfolder|processingplanfolder|contract|webhook|webhookstock|assortment|bonusprogram|bonustransaction)(/|$)'
goods='^/entity/(product|service|bundle|variant|consignment)(/|$)'
unbuilt='/(images|files|storebalances)(/|$)'
auth=$(printf '%s:%s' "$MS_LOGIN" "$MS_PASSWORD" | base64 | tr -d '\n')

# schemathesis keeps state in the working directory (.hypothesis, caches): not in the repo.
cd "$reports"
common=(
    --config-file "$here/schemathesis.toml"
    run "$spec"
    --url "${TWIN_BASE%/}/api/remap/1.2"
    -H "Authorization: Basic $auth"
    -H 'Accept-Encoding: gzip'
    --mode positive
    --workers 1
    --seed "$seed"
    --no-shrink
    --generation-database none
    --request-timeout 30
    --no-color
    --output-truncate true
)

failed=0
echo "== schemathesis 1/2: examples ($spec)"
"$st" "${common[@]}" \
    --phases examples \
    --include-path-regex "$entities|$goods" --exclude-path-regex "$unbuilt" \
    --max-examples "$max_examples" \
    --exclude-checks unsupported_method,negative_data_rejection,ignored_auth \
    --report junit --report-junit-path "$reports/examples.xml" || failed=1

echo "== schemathesis 2/2: coverage + stateful (max $max_examples examples, seed $seed)"
"$st" "${common[@]}" \
    --phases coverage,stateful \
    --include-path-regex "$entities" \
    --max-examples "$max_examples" \
    --exclude-checks positive_data_acceptance,negative_data_rejection,unsupported_method,ignored_auth \
    --suppress-health-check filter_too_much \
    --report junit --report-junit-path "$reports/coverage-stateful.xml" || failed=1

if [ "$failed" != 0 ]; then
    echo "schemathesis.sh: FAILED (see the failures above)" >&2
    exit 1
fi
echo "schemathesis.sh: both runs passed"
