#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Make sure the base tree exists as a git repository and print "REPO COMMIT".
#
# Default: Debian's linux-source-7.3 7.3.4-1~bpo13+1 (v7.3.4 plus Debian's patch
# set), taken from ../shared/base, or BASE_DEB=/path/to.deb, or
# BASE_TARBALL=/path/to/linux-source-7.3.tar.xz, or as a last resort downloaded
# from Debian's trixie-backports suite through a private, pinned apt configuration.
# It is checksummed, unpacked once and committed into $CACHE/base-$BASE_UPSTREAM.git,
# tag "base".
#
# KSRC=/path/to/kernel.git [BASE=<commit-ish>, default $BASE_UPSTREAM] uses your tree.
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

BASE_REPO=$CACHE/base-$BASE_UPSTREAM.git

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# Print the path of a verified base .deb or tarball; download the .deb if needed.
find_base_archive() {
	local deb
	if [ -n "${BASE_TARBALL:-}" ]; then
		[ -f "$BASE_TARBALL" ] || die "BASE_TARBALL=$BASE_TARBALL does not exist"
		[ "$(sha256_of "$BASE_TARBALL")" = "$BASE_TAR_SHA256" ] ||
			die "checksum mismatch for $BASE_TARBALL (want sha256 $BASE_TAR_SHA256)"
		echo "$BASE_TARBALL"
		return
	fi
	for deb in ${BASE_DEB:+"$BASE_DEB"} "$SHARED_BASE/$BASE_DEB_NAME" "$CACHE/$BASE_DEB_NAME"; do
		[ -f "$deb" ] || { [ "$deb" != "${BASE_DEB:-}" ] || die "BASE_DEB=$deb does not exist"; continue; }
		[ "$(sha256_of "$deb")" = "$BASE_DEB_SHA256" ] ||
			die "checksum mismatch for $deb (want sha256 $BASE_DEB_SHA256)"
		echo "$deb"
		return
	done
	"$TOP/scripts/fetch-base-deb.sh" "$CACHE" >&2 || die "$(cat <<EOM
cannot obtain the base: $BASE_DEB_NAME is not in $SHARED_BASE or $CACHE,
and Debian's $BASE_SUITE suite does not serve $BASE_PKG=$BASE_VERSION.
Supply it yourself, any one of:
  BASE_DEB=/path/to/$BASE_DEB_NAME            (sha256 $BASE_DEB_SHA256)
  BASE_TARBALL=/path/to/linux-source-7.3.tar.xz (sha256 $BASE_TAR_SHA256)
  KSRC=/path/to/linux.git BASE=$BASE_UPSTREAM           (your own tree and base commit)
EOM
)"
	deb=$CACHE/$BASE_DEB_NAME
	[ "$(sha256_of "$deb")" = "$BASE_DEB_SHA256" ] ||
		die "downloaded $deb does not match sha256 $BASE_DEB_SHA256"
	echo "$deb"
}

# Unpack the archive and commit it as the single commit of $BASE_REPO, tag "base".
# Identity and dates are fixed so that the commit id is the same on every machine.
make_base_repo() {
	local archive=$1 tarball
	UNPACK_DIR=$(mktemp -d "$CACHE/unpack.XXXXXX")
	trap 'rm -rf "$UNPACK_DIR"' EXIT
	local tmp=$UNPACK_DIR
	tarball=$archive
	if [[ "$archive" == *.deb ]]; then
		dpkg-deb --fsys-tarfile "$archive" | tar -x -C "$tmp" ./usr/src/linux-source-7.3.tar.xz
		tarball=$tmp/usr/src/linux-source-7.3.tar.xz
	fi
	log "unpacking $(basename "$tarball")"
	mkdir "$tmp/src"
	tar -xJf "$tarball" -C "$tmp/src" --strip-components=1
	rm -rf "${tmp:?}/usr"
	log "committing the base tree (once; later runs reuse $BASE_REPO)"
	rm -rf "$BASE_REPO.tmp"
	git_plain init -q --bare "$BASE_REPO.tmp"
	(
		export GIT_DIR=$BASE_REPO.tmp GIT_WORK_TREE=$tmp/src
		export GIT_AUTHOR_NAME='Debian kernel team' GIT_AUTHOR_EMAIL='debian-kernel@lists.debian.org'
		export GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
		# The upload's date (its changelog entry).
		export GIT_AUTHOR_DATE='2026-11-15T23:30:52+0100' GIT_COMMITTER_DATE='2026-11-15T23:30:52+0100'
		git_plain add -A -f .
		git_plain commit -q -m "Linux $BASE_UPSTREAM with Debian's patch set

Debian package $BASE_PKG $BASE_VERSION, tarball sha256
$BASE_TAR_SHA256."
		git_plain tag base
		git_plain gc -q --auto
	)
	mv "$BASE_REPO.tmp" "$BASE_REPO"
}

if [ -n "${KSRC:-}" ]; then
	commit=$(git -C "$KSRC" rev-parse --verify -q "${BASE:-$BASE_UPSTREAM}^{commit}") ||
		die "KSRC=$KSRC has no commit ${BASE:-$BASE_UPSTREAM} (set BASE=<commit-ish>)"
	echo "$(cd "$KSRC" && pwd) $commit"
	exit 0
fi

mkdir -p "$CACHE"
if ! git_plain --git-dir="$BASE_REPO" rev-parse -q --verify 'base^{commit}' >/dev/null 2>&1; then
	start=$(now)
	archive=$(find_base_archive) || exit
	make_base_repo "$archive"
	log "base ready in $(($(now) - start)) s"
fi
echo "$BASE_REPO $(git_plain --git-dir="$BASE_REPO" rev-parse 'base^{commit}')"
