#!/usr/bin/env bash
# Writes into DIR an SDKROOT for linking citeindex for macOS with zig.
#
#   packaging/macos-sdk.sh DIR
#
# zig carries macOS's C library but no frameworks. `watch` on macOS uses
# FSEvents (CoreServices) and CoreFoundation's run loop, so the linker needs to
# know that these frameworks export the symbols the binary calls. A text stub
# (.tbd, the format of Apple's own SDK) names each framework's install path and
# those symbols; dyld binds them on the Mac from the real frameworks, which
# every macOS since 10.5 has. A symbol added to the binary's calls fails the
# link here, naming it, rather than failing on a user's Mac.
set -euo pipefail
stub() { # stub SDK FRAMEWORK SYMBOL...
  local sdk=$1 name=$2
  shift 2
  local dir=$sdk/System/Library/Frameworks/$name.framework symbols
  symbols=$(printf '%s, ' "$@")
  mkdir -p "$dir"
  printf '%s\n' '--- !tapi-tbd' 'tbd-version: 4' 'targets: [ x86_64-macos, arm64-macos ]' \
    "install-name: '/System/Library/Frameworks/$name.framework/Versions/A/$name'" 'exports:' \
    '  - targets: [ x86_64-macos, arm64-macos ]' "    symbols: [ ${symbols%, } ]" '...' >"$dir/$name.tbd"
}
sdk=$1
stub "$sdk" CoreFoundation _CFArrayAppendValue _CFArrayCreateMutable _CFArrayGetCount \
  _CFArrayGetValueAtIndex _CFArrayInsertValueAtIndex _CFRelease _CFRetain _CFRunLoopGetCurrent \
  _CFRunLoopIsWaiting _CFRunLoopRun _CFRunLoopStop _CFURLCopyAbsoluteURL _CFURLCopyFileSystemPath \
  _CFURLCopyLastPathComponent _CFURLCreateCopyAppendingPathComponent \
  _CFURLCreateCopyDeletingLastPathComponent _CFURLCreateFilePathURL _CFURLCreateFileReferenceURL \
  _CFURLCreateFromFileSystemRepresentation _CFURLCreateFromFileSystemRepresentationRelativeToBase \
  _CFURLResourceIsReachable _kCFAllocatorDefault \
  _kCFRunLoopDefaultMode _kCFTypeArrayCallBacks
stub "$sdk" CoreServices _FSEventStreamCreate _FSEventStreamGetDeviceBeingWatched \
  _FSEventStreamInvalidate _FSEventStreamRelease _FSEventStreamScheduleWithRunLoop \
  _FSEventStreamStart _FSEventStreamStop _FSEventsGetCurrentEventId \
  _FSEventsPurgeEventsForDeviceUpToEventId
