#!/usr/bin/env bash
# Refreshes the vendored GOV.UK Frontend from npm at the pinned version:
# compiled CSS (system font stack, no GDS Transport, no crest image), the
# minified JS bundle, the licence, and the fixtures the Tera ports are tested
# against. Needs node and npm; cargo builds never run this.
#
#   web/assets/refresh.sh            # the pinned version
#   VERSION=6.6.1 web/assets/refresh.sh  # try another, then pin it below
set -euo pipefail

VERSION="${VERSION:-6.6.0}"
SASS_VERSION="1.108.2"

# The components ported to Tera in web/templates/govuk/; only their fixtures
# are kept.
COMPONENTS=(
  back-link button character-count checkboxes date-input details error-message
  error-summary fieldset file-upload footer generic-header header hint input
  inset-text label notification-banner pagination panel radios select
  service-navigation skip-link summary-list table tag task-list textarea
  warning-text
)

web="$(cd "$(dirname "$0")/.." && pwd)"
out="$web/assets/govuk-frontend"
fixtures="$web/tests/fixtures/govuk"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm init -y >/dev/null
npm install --ignore-scripts --no-audit --no-fund --save-exact "govuk-frontend@$VERSION" "sass@$SASS_VERSION" >/dev/null
package="$work/node_modules/govuk-frontend"

# GOV.UK's crest is the only image the Sass refers to (the footer's copyright
# logo, which the Tera footer never renders), so every image URL compiles to
# `none` and no image is vendored.
cat > url-handlers.scss <<'SCSS'
@function image-url($filename) {
  @return none;
}
SCSS
cat > caucus.scss <<'SCSS'
@use "sass:meta";
@use "url-handlers";
@use "node_modules/govuk-frontend/dist/govuk" as * with (
  $govuk-font-family: (system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif),
  $govuk-include-default-font-face: false,
  $govuk-image-url-function: meta.get-function("image-url", $module: "url-handlers")
);
SCSS
npx --no-install sass --style=compressed --no-source-map --quiet-deps caucus.scss govuk-frontend.min.css

if grep -q -i -e "GDS Transport" -e "url(" govuk-frontend.min.css; then
  echo "refresh.sh: the compiled CSS still names GDS Transport or a url()" >&2
  exit 1
fi

rm -rf "$out"
mkdir -p "$out"
cp govuk-frontend.min.css "$out/"
# The source map is not vendored, so the bundle stops pointing at it.
sed 's|//# sourceMappingURL=govuk-frontend.min.js.map$||' "$package/dist/govuk/govuk-frontend.min.js" > "$out/govuk-frontend.min.js"
# The npm package carries no licence file; its package.json says MIT and the
# text is the repository's LICENSE.txt (alphagov/govuk-frontend), reproduced here.
cat > "$out/LICENCE.txt" <<'TXT'
The MIT License (MIT)

Copyright (C) 2017 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do
so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
TXT
node -p "require('$package/package.json').license" | grep -qx MIT
echo "$VERSION" > "$out/VERSION"

rm -rf "$fixtures"
for component in "${COMPONENTS[@]}"; do
  mkdir -p "$fixtures/$component"
  # Only what the tests read, one example a line: a third of the size, and a
  # refresh's diff shows which examples changed.
  node -e '
    const { fixtures } = require(process.argv[1]);
    const kept = fixtures.map(({ name, options, hidden, html }) => JSON.stringify({ name, options, hidden, html }));
    process.stdout.write("{\"fixtures\": [\n" + kept.join(",\n") + "\n]}\n");
  ' "$package/dist/govuk/components/$component/fixtures.json" > "$fixtures/$component/fixtures.json"
done

echo "govuk-frontend $VERSION vendored in $out"
du -sh "$out" "$fixtures"
