#!/usr/bin/env bash
# The fonts the 8D PDF needs (documents/fonts.py): DejaVu Sans for Latin text and Droid Sans
# Fallback so Chinese renders. Installs Debian's packages when the files are missing.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
missing=()
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
[ -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ] || missing+=(fonts-droid-fallback)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing ${missing[*]} (fonts for the 8D PDF)"
as_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
