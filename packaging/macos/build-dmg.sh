#!/usr/bin/env bash
# macOS: the .app (a menu-bar app: LSUIElement, no Dock icon) and its .dmg.
# Run on a Mac (the release workflow's macos runner does), from the repository root,
# with a Python >= 3.11 that has `pip install -e .[package]` done:
#
#   packaging/macos/build-dmg.sh            unsigned .app and .dmg (for testing)
#
# Signed and notarised (what people should download), with a "Developer ID
# Application" certificate in the keychain and an App Store Connect API key:
#
#   MACOS_SIGN_IDENTITY="Developer ID Application: Example (TEAMID)" \
#   MACOS_NOTARY_KEY=AuthKey.p8 MACOS_NOTARY_KEY_ID=... MACOS_NOTARY_ISSUER=... \
#   packaging/macos/build-dmg.sh
#
# Steps when signing: codesign every Mach-O inside out with the hardened runtime and a
# timestamp (`--deep` is not enough for nested frameworks, so the bundle's libraries
# first, then the app), sign the .dmg, submit it with `notarytool submit --wait`, then
# `stapler staple` so Gatekeeper accepts it offline.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
version="$(python3 -c 'import sys; sys.path.insert(0, "app"); import tracktray; print(tracktray.__version__)')"
icons="$root/build/icons"
python3 packaging/render_icons.py "$icons"
python3 packaging/render_tray_icons.py
TRACKTRAY_ICONS="$icons" pyinstaller --noconfirm --clean --log-level WARN \
    --distpath build/dist --workpath build/work packaging/tracktray.spec
app="build/dist/TrackTray.app"
# tells the app how it was installed (tracktray.installation); before signing
printf 'dmg\n' > "$app/Contents/MacOS/install-kind"

if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
    find "$app/Contents" -type f \( -name '*.so' -o -name '*.dylib' -o -perm -u+x \) -print0 |
        xargs -0 codesign --force --timestamp --options runtime --sign "$MACOS_SIGN_IDENTITY"
    codesign --force --timestamp --options runtime --sign "$MACOS_SIGN_IDENTITY" "$app"
    codesign --verify --strict --verbose=2 "$app"
fi

stage="build/dmg"
rm -rf "$stage" && mkdir -p "$stage" dist
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
dmg="dist/tracktray-$version-mac.dmg"
hdiutil create -volname "TrackTray $version" -srcfolder "$stage" -ov -format UDZO "$dmg"

if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
    codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$dmg"
    xcrun notarytool submit "$dmg" --wait \
        --key "$MACOS_NOTARY_KEY" --key-id "$MACOS_NOTARY_KEY_ID" --issuer "$MACOS_NOTARY_ISSUER"
    xcrun stapler staple "$dmg"
    spctl --assess --type open --context context:primary-signature --verbose "$dmg"
fi
echo "$dmg"
