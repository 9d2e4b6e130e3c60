#!/bin/sh
# Adds tracktray to this user's application menu (no root needed): the menu entry, its
# icons and the AppStream metadata go under ~/.local/share, pointing at this folder.
# Run it again after moving the folder; `install-launcher.sh --remove` takes them away.
set -eu
root="$(cd "$(dirname "$0")" && pwd)"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
entry="$data/applications/tracktray.desktop"
if [ "${1:-}" = "--remove" ]; then
    rm -f "$entry" "$data/metainfo/org.tracktray.TrackTray.metainfo.xml"
    find "$data/icons/hicolor" -name tracktray.png -delete 2>/dev/null || true
    echo "tracktray: launcher removed"
    exit 0
fi
mkdir -p "$data/applications" "$data/metainfo"
cp -R "$root/share/icons" "$data/"
cp "$root/share/metainfo/org.tracktray.TrackTray.metainfo.xml" "$data/metainfo/"
sed "s|^Exec=.*|Exec=\"$root/tracktray\"|" "$root/share/applications/tracktray.desktop" > "$entry"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$data/applications" || true
echo "tracktray: added to the application menu ($entry)"
