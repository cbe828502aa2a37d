# Sourced by the bench scripts that read ../shared/data: where ferry, the
# data and a scratch directory (removed on exit) are.
top=$(cd "$(dirname "$0")/.." && pwd)
FERRY=${FERRY:-$top/ferry}
data=${DATA:-$top/../shared/data/europarl-dev}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
