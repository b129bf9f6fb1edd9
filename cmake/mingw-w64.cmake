# mingw-w64.cmake - cross toolchain for the Wine run of the conformance suite:
#   cmake -S . -B build/wine -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64.cmake
# Debian: apt-get install gcc-mingw-w64-x86-64 wine. CTest runs each test as
# `wine <test>.exe <case>` through CMAKE_CROSSCOMPILING_EMULATOR.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(WSAIO_MINGW_TRIPLE x86_64-w64-mingw32 CACHE STRING "mingw-w64 target triple")
set(CMAKE_C_COMPILER ${WSAIO_MINGW_TRIPLE}-gcc)
set(CMAKE_RC_COMPILER ${WSAIO_MINGW_TRIPLE}-windres)
set(CMAKE_FIND_ROOT_PATH /usr/${WSAIO_MINGW_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Debian's wine package installs /usr/bin/wine (a wrapper that picks wine64 for PE32+).
# Tests run through wine-run.sh, which retries a process that Wine failed to start (see
# there); WSAIO_WINE is the wine it calls.
find_program(WSAIO_WINE NAMES wine wine64 REQUIRED)
set(CMAKE_CROSSCOMPILING_EMULATOR ${CMAKE_CURRENT_LIST_DIR}/wine-run.sh ${WSAIO_WINE})
