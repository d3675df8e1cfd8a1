# CMake toolchain file: cross-compile for Windows x86_64 with Debian's MinGW-w64 (posix thread model).
#
# Usage:
#   cmake -S . -B build/win -G Ninja \
#         -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64-x86_64.cmake \
#         -DMINGW_PREFIX=/work/mingw-prefix            # prefix made by .ci/mingw-deps.sh
#
# MINGW_PREFIX may also come from the environment variable of the same name.
# ccache is used as compiler launcher when it is installed, unless -DMINGW_USE_CCACHE=OFF
# (or CCACHE_DISABLE=1 in the environment), or a CMAKE_<LANG>_COMPILER_LAUNCHER was given.
# Tests run through wine (CMAKE_CROSSCOMPILING_EMULATOR), see .ci/wine-env.sh.

set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(_mingw_triplet x86_64-w64-mingw32)
set(CMAKE_C_COMPILER   ${_mingw_triplet}-gcc-posix)
set(CMAKE_CXX_COMPILER ${_mingw_triplet}-g++-posix)
set(CMAKE_RC_COMPILER  ${_mingw_triplet}-windres)

if(NOT MINGW_PREFIX AND DEFINED ENV{MINGW_PREFIX})
  set(MINGW_PREFIX "$ENV{MINGW_PREFIX}")
endif()
# The toolchain file is re-read for try_compile() projects; forward the prefix to them.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES MINGW_PREFIX)

set(CMAKE_FIND_ROOT_PATH /usr/${_mingw_triplet})
if(MINGW_PREFIX)
  list(APPEND CMAKE_FIND_ROOT_PATH "${MINGW_PREFIX}")
endif()
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# ctest and gtest_discover_tests() run the .exe files through wine.
set(CMAKE_CROSSCOMPILING_EMULATOR wine)

# Optional ccache launcher (pure speed-up; never required).
if(NOT DEFINED MINGW_USE_CCACHE)
  set(MINGW_USE_CCACHE ON)
endif()
if(MINGW_USE_CCACHE AND NOT "$ENV{CCACHE_DISABLE}" MATCHES "^(1|[Tt][Rr][Uu][Ee]|[Yy][Ee][Ss])$")
  find_program(MINGW_CCACHE_PROGRAM ccache)
  set(_mingw_launcher "")
  if(MINGW_CCACHE_PROGRAM)
    # Only use it if its cache directory is writable; otherwise every compile would fail.
    execute_process(COMMAND "${MINGW_CCACHE_PROGRAM}" --get-config cache_dir
                    OUTPUT_VARIABLE _mingw_ccache_dir OUTPUT_STRIP_TRAILING_WHITESPACE
                    RESULT_VARIABLE _mingw_rc ERROR_QUIET)
    if(_mingw_rc EQUAL 0 AND _mingw_ccache_dir)
      execute_process(COMMAND "${CMAKE_COMMAND}" -E make_directory "${_mingw_ccache_dir}"
                      RESULT_VARIABLE _mingw_rc OUTPUT_QUIET ERROR_QUIET)
      if(_mingw_rc EQUAL 0)
        execute_process(COMMAND "${CMAKE_COMMAND}" -E touch "${_mingw_ccache_dir}/.cmake-write-probe"
                        RESULT_VARIABLE _mingw_rc OUTPUT_QUIET ERROR_QUIET)
        if(_mingw_rc EQUAL 0)
          set(_mingw_launcher "${MINGW_CCACHE_PROGRAM}")
        endif()
      endif()
    endif()
  endif()
  if(_mingw_launcher)
    foreach(_lang C CXX)
      if(NOT DEFINED CMAKE_${_lang}_COMPILER_LAUNCHER AND NOT DEFINED ENV{CMAKE_${_lang}_COMPILER_LAUNCHER})
        set(CMAKE_${_lang}_COMPILER_LAUNCHER "${_mingw_launcher}")
      endif()
    endforeach()
  endif()
endif()
