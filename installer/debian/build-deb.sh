#!/bin/sh
# Builds the Debian package from a CMake build directory:
#   installer/debian/build-deb.sh BUILD_DIR [OUT_DIR]
# The package is the CMake install into /var/ossec, stripped, plus the
# init script, the systemd unit and the maintainer scripts of this folder.
# Owners and modes that need the ossec group are set by postinst, since
# the group's id is only known on the target.
set -eu

BUILD=$(cd "$1" && pwd)
OUT=$(mkdir -p "${2:-$BUILD}" && cd "${2:-$BUILD}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
SOURCE=$(cd "$HERE/../.." && pwd)
PACKAGE=ossec-hids-agent

version() {
    sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$BUILD/CMakeCache.txt"
}

stage_files() {
    rm -rf "$STAGE"
    DESTDIR="$STAGE" cmake --install "$BUILD" --prefix /var/ossec --strip >/dev/null
    install -D -m 0755 "$HERE/ossec.init" "$STAGE/etc/init.d/ossec"
    install -D -m 0644 "$HERE/ossec.service" "$STAGE/lib/systemd/system/ossec.service"
    doc=$STAGE/usr/share/doc/$PACKAGE
    install -D -m 0644 "$HERE/copyright" "$doc/copyright"
    install -D -m 0644 "$HERE/changelog" "$doc/changelog.Debian"
    gzip -9n "$doc/changelog.Debian"
    install -D -m 0644 "$HERE/lintian-overrides" \
        "$STAGE/usr/share/lintian/overrides/$PACKAGE"

    # Standard modes in the archive; postinst applies OSSEC's. The key file
    # is never world-readable, not even between unpack and postinst.
    find "$STAGE" -type d -exec chmod 0755 {} +
    find "$STAGE/var/ossec/etc" -type f -exec chmod 0644 {} +
    chmod 0640 "$STAGE/var/ossec/etc/client.keys"
}

# Depends from the binaries' shared libraries, as dh_shlibdeps would.
shlib_depends() {
    work=$(mktemp -d)
    mkdir -p "$work/debian"
    printf 'Source: %s\n\nPackage: %s\nArchitecture: any\n' \
        "$PACKAGE" "$PACKAGE" >"$work/debian/control"
    (cd "$work" && dpkg-shlibdeps -O "$STAGE"/var/ossec/bin/* 2>/dev/null) |
        sed -n 's/^shlibs:Depends=//p'
    rm -rf "$work"
}

write_control() {
    mkdir -p "$STAGE/DEBIAN"
    sed -e "s|@VERSION@|$VERSION|" \
        -e "s|@ARCH@|$(dpkg --print-architecture)|" \
        -e "s|@SIZE@|$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)|" \
        -e "s|@SHLIBS@|$(shlib_depends)|" \
        "$HERE/control.in" >"$STAGE/DEBIAN/control"
    install -m 0644 "$HERE/conffiles" "$STAGE/DEBIAN/conffiles"
    for script in postinst prerm postrm; do
        install -m 0755 "$HERE/$script" "$STAGE/DEBIAN/$script"
    done
    (cd "$STAGE" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' |
        xargs -0 md5sum) >"$STAGE/DEBIAN/md5sums"
    chmod 0644 "$STAGE/DEBIAN/md5sums"
}

VERSION="$(version)-1"
STAGE=$BUILD/deb-stage
stage_files
write_control
DEB=$OUT/${PACKAGE}_${VERSION}_$(dpkg --print-architecture).deb
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$DEB" >/dev/null
echo "$DEB"
