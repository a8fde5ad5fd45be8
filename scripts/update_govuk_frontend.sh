#!/usr/bin/env bash
# Vendor GOV.UK Frontend (precompiled dist) and htmx into static/vendor/.
#
# Usage: scripts/update_govuk_frontend.sh [GOVUK_FRONTEND_VERSION] [HTMX_VERSION]
#
# Defaults: newest govuk-frontend 5.x and newest htmx.org 2.x on npm.
# (6.x also styles crispy-forms-gds output, but crispy-forms-gds documents 5.x,
# so 5.x is the default; pass e.g. 6.6.0 explicitly to try 6.x.)
#
# This product is not on GOV.UK, so we deliberately:
#   * do NOT copy assets/fonts (GDS Transport is licensed for GOV.UK only);
#   * strip the GDS Transport @font-face rules and replace the font stack;
#   * rewrite absolute url(/assets/...) to relative url(assets/...) so that
#     ManifestStaticFilesStorage / whitenoise can resolve and hash them;
#   * drop the CSS source map (we edit the CSS, so the map would be stale) and
#     its sourceMappingURL comment. The JS is copied unchanged with its map.
#
# After running, update the version in templates/base.html if it changed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR_DIR="$ROOT/static/vendor"

latest_matching() {
  # $1 = package, $2 = semver range; prints the newest matching version.
  npm view "$1@$2" version --json 2>/dev/null | node -e '
    let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
      let v = JSON.parse(s); v = Array.isArray(v) ? v : [v];
      const key = x => x.split(/[.-]/).slice(0, 3).map(n => n.padStart(6, "0")).join(".");
      v = v.filter(x => !x.includes("-")).sort((a, b) => key(a) < key(b) ? -1 : 1);
      console.log(v[v.length - 1]);
    });'
}

GOVUK_VERSION="${1:-$(latest_matching govuk-frontend '^5')}"
HTMX_VERSION="${2:-$(latest_matching htmx.org '^2')}"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

echo "==> govuk-frontend@$GOVUK_VERSION"
(cd "$TMP" && mkdir gf && cd gf && npm pack "govuk-frontend@$GOVUK_VERSION" --silent >/dev/null && tar xzf ./*.tgz)
SRC="$TMP/gf/package/dist/govuk"
DEST="$VENDOR_DIR/govuk-frontend-$GOVUK_VERSION"
rm -rf "$DEST"
mkdir -p "$DEST/assets"

cp "$SRC/govuk-frontend.min.js" "$SRC/govuk-frontend.min.js.map" "$DEST/"
cp -R "$SRC/assets/images" "$DEST/assets/images"
[ -f "$SRC/assets/manifest.json" ] && cp "$SRC/assets/manifest.json" "$DEST/assets/"

# CSS: strip @font-face rules, replace the GDS Transport stack, make asset URLs
# relative, drop the sourceMappingURL comment.
node - "$SRC/govuk-frontend.min.css" "$DEST/govuk-frontend.min.css" <<'JS'
const fs = require("fs");
const [src, dest] = process.argv.slice(2);
let css = fs.readFileSync(src, "utf8");
css = css.replace(/@font-face\{[^}]*\}/g, "");
css = css.replace(/font-family:\s*"?GDS Transport"?\s*,/g, "font-family:");
css = css.replace(/url\((["']?)\/assets\//g, "url($1assets/");
css = css.replace(/\/\*# sourceMappingURL=[^*]*\*\//g, "");
fs.writeFileSync(dest, css);
JS

# Only copy assets/rebrand if the CSS actually refers to it.
if grep -q 'assets/rebrand' "$DEST/govuk-frontend.min.css"; then
  cp -R "$SRC/assets/rebrand" "$DEST/assets/rebrand"
fi

echo "==> htmx.org@$HTMX_VERSION"
(cd "$TMP" && mkdir hx && cd hx && npm pack "htmx.org@$HTMX_VERSION" --silent >/dev/null && tar xzf ./*.tgz)
HX_DEST="$VENDOR_DIR/htmx-$HTMX_VERSION"
rm -rf "$HX_DEST"
mkdir -p "$HX_DEST"
cp "$TMP/hx/package/dist/htmx.min.js" "$HX_DEST/"
# No map is copied for htmx, so remove any sourceMappingURL comment.
sed -i -E '/^\/\/# sourceMappingURL=/d; s#//\# sourceMappingURL=[^ ]*$##' "$HX_DEST/htmx.min.js"

# ---- checks ---------------------------------------------------------------
fail=0
CSS="$DEST/govuk-frontend.min.css"
if grep -q 'url(/assets' "$CSS"; then echo "ERROR: absolute asset URLs remain" >&2; fail=1; fi
if grep -qi 'GDS Transport\|assets/fonts' "$CSS"; then echo "ERROR: font references remain" >&2; fail=1; fi
# Every url(...) in the CSS must exist on disk (ManifestStaticFilesStorage fails otherwise).
for u in $(grep -o 'url([^)]*)' "$CSS" | sed -E 's/^url\(["'"'"']?//; s/["'"'"']?\)$//' | grep -v '^data:' | sort -u); do
  [ -e "$DEST/${u%%[?#]*}" ] || { echo "ERROR: missing $u" >&2; fail=1; }
done
for f in "$DEST"/*.js "$DEST"/*.css "$HX_DEST"/*.js; do
  m=$(grep -o 'sourceMappingURL=[^ *]*' "$f" | sed 's/sourceMappingURL=//' || true)
  if [ -n "$m" ] && [ ! -e "$(dirname "$f")/$m" ]; then echo "ERROR: $f maps to missing $m" >&2; fail=1; fi
done
[ "$fail" = 0 ] || exit 1

echo
echo "Vendored:"
echo "  static/vendor/govuk-frontend-$GOVUK_VERSION/govuk-frontend.min.css"
echo "  static/vendor/govuk-frontend-$GOVUK_VERSION/govuk-frontend.min.js"
echo "  static/vendor/htmx-$HTMX_VERSION/htmx.min.js"
echo "Remember to update the versions referenced in templates/base.html."
