#!/usr/bin/env bash
# The whole local stack for the live job (jobs/local), real servers on 127.0.0.1 only:
#   kinesis-local  http://127.0.0.1:4568   (deploy/local/kinesis.sh)
#   OpenSearch     http://127.0.0.1:9200   (deploy/local/opensearch.sh)
#   fauxqs SNS/SQS http://127.0.0.1:4566   (deploy/local/sns.sh)
# `start` is idempotent: it starts what is not running, then creates what jobs/local expects (the
# streams spikewatch-waf and spikewatch-alb, the topic spikewatch-alerts) and installs the OpenSearch
# index templates. Usage: deploy/local/stack.sh install|start|stop|status
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
components=(kinesis opensearch sns)
kinesis_url="http://127.0.0.1:${SPIKEWATCH_KINESIS_PORT:-4568}"
sns_url="http://127.0.0.1:${SPIKEWATCH_SNS_PORT:-4566}"
opensearch_url="http://127.0.0.1:${SPIKEWATCH_OPENSEARCH_PORT:-9200}"

kinesis_call() { # target json
  curl -sS -m 10 -X POST "$kinesis_url/" \
    -H 'Content-Type: application/x-amz-json-1.1' -H "X-Amz-Target: Kinesis_20131202.$1" \
    -H "X-Amz-Date: $(date -u +%Y%m%dT%H%M%SZ)" \
    -H 'Authorization: AWS4-HMAC-SHA256 Credential=local/20250101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=00' \
    -d "$2"
}

create_resources() {
  for stream in spikewatch-waf spikewatch-alb; do
    if kinesis_call DescribeStreamSummary "{\"StreamName\":\"$stream\"}" | grep -q StreamARN; then
      echo "stream exists: $stream"
    else
      kinesis_call CreateStream "{\"StreamName\":\"$stream\",\"ShardCount\":1}" >/dev/null
      echo "stream created: $stream"
    fi
  done
  curl -fsS -m 10 -H 'Content-Type: application/x-www-form-urlencoded' \
    --data 'Action=CreateTopic&Name=spikewatch-alerts&Version=2010-03-31' "$sns_url/" | grep -o 'arn:aws:sns:[^<]*' \
    | sed 's/^/topic: /'
  "$root/spikewatch" setup --opensearch "$opensearch_url"
}

case "${1:-}" in
  install|stop|status)
    rc=0
    for c in "${components[@]}"; do "$here/$c.sh" "$1" || rc=$?; done
    exit $rc
    ;;
  start)
    for c in "${components[@]}"; do "$here/$c.sh" start; done
    create_resources
    cat <<EOT

local stack ready. Next:
  export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local   # every AWS client (Kinesis, SNS); any value works locally
  ./spikewatch run --config jobs/local        # the live job, until Ctrl-C
  ./spikewatch put --stream spikewatch-waf --endpoint $kinesis_url --format cloudwatch --input LOGS/waf
  curl -s '$opensearch_url/spikewatch-alerts-*/_search?pretty&sort=@timestamp:desc&size=5'
EOT
    ;;
  *)
    echo "usage: $0 install|start|stop|status" >&2
    exit 2
    ;;
esac
