#!/bin/bash
# Variant builds for attributing the page-load overhead (docs/ARCHITECTURE.md, "Page-load overhead"):
# copies of a built extension with one part taken away, each measured with
#   BENCH_EXTENSION_DIR=<out>/<variant> npx tsx tests/bench/page-load.ts
# Manifest variants remove content scripts or the whole background; background variants put one line
# in front of background.js that turns one listener registration or API into a no-op (the polyfill
# calls chrome.* at call time, so the stub is what the extension's code reaches).
# Usage: tests/bench/page-load-variants.sh [built dir (.output/chrome-mv3)] [out dir (/tmp/dsa-variants)]
set -euo pipefail
SRC=$(realpath "${1:-.output/chrome-mv3}")
OUT=${2:-/tmp/dsa-variants}
mkdir -p "$OUT"
copy() { rm -rf "${OUT:?}/$1"; cp -r "$SRC" "$OUT/$1"; }
manifest() { node -e 'const fs=require("fs");const f=process.argv[1];const m=JSON.parse(fs.readFileSync(f));(new Function("m",process.argv[2]))(m);fs.writeFileSync(f,JSON.stringify(m));' "$OUT/$1/manifest.json" "$2"; }
prefix() { { printf '%s\n' "$2"; cat "$SRC/background.js"; } > "$OUT/$1/background.js"; }
# The bench waits for dsaReadyAt before its first load.
IDLE_WORKER='globalThis.dsaReadyAt=Date.now();'

copy empty; manifest empty 'delete m.content_scripts;m.permissions=[];delete m.host_permissions;'; echo "$IDLE_WORKER" > "$OUT/empty/background.js"
copy no-content-scripts; manifest no-content-scripts 'delete m.content_scripts;'
copy idle-background; echo "$IDLE_WORKER" > "$OUT/idle-background/background.js"
copy no-webrequest; prefix no-webrequest '(()=>{for(const k of Object.keys(chrome.webRequest))if(chrome.webRequest[k]?.addListener)chrome.webRequest[k].addListener=()=>{};})();'
copy no-extra-headers; prefix no-extra-headers '(()=>{const e=chrome.webRequest.onHeadersReceived,a=e.addListener.bind(e);e.addListener=(f,u,s)=>a(f,u,(s||[]).filter(x=>x!=="extraHeaders"));})();'
copy no-headers-received; prefix no-headers-received '(()=>{chrome.webRequest.onHeadersReceived.addListener=()=>{};})();'
copy no-cookie-listener; prefix no-cookie-listener '(()=>{chrome.cookies.onChanged.addListener=()=>{};})();'
copy no-session-writes; prefix no-session-writes '(()=>{chrome.storage.session.set=()=>Promise.resolve();})();'
copy no-toolbar; prefix no-toolbar '(()=>{for(const k of ["setIcon","setTitle","setBadgeText","setBadgeBackgroundColor","setBadgeTextColor"])chrome.action[k]=()=>Promise.resolve();})();'
copy no-execute-script; prefix no-execute-script '(()=>{chrome.scripting.executeScript=()=>Promise.reject(new Error("variant"));})();'
ls "$OUT"
