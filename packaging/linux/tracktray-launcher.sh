#!/bin/sh
# Starts the current version of a tarball install of tracktray.
#
# Layout (side by side, so an update never touches the running files):
#   <root>/tracktray            this launcher (menu entry and autostart point here)
#   <root>/current -> app-X.Y.Z the version that starts (switched on quit by an update)
#   <root>/app-X.Y.Z/           one PyInstaller one-folder bundle per version
root="$(cd "$(dirname "$0")" && pwd)"
name="$(basename "$0")"
[ "$name" = "tracktray-server" ] || name="tracktray"
TRACKTRAY_LAUNCHER="$root/tracktray" exec "$root/current/$name" "$@"
