add_library(agent_warnings INTERFACE)
target_compile_options(agent_warnings INTERFACE -Wall -Wextra -Wpedantic -Werror
  -Wno-error=deprecated-declarations)

if(AGENT_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  # GCC 12 with the sanitizers reports a false -Wmaybe-uninitialized inside
  # libstdc++'s <regex> (std::function in _NFA::_M_insert_subexpr_*), which
  # -Werror turned into a failed build of core/config.cpp.
  add_compile_options($<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>)
  add_link_options(-fsanitize=address,undefined)
endif()
if(AGENT_TSAN)
  # GCC warns that TSan does not model atomic_thread_fence (used by Asio).
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer -Wno-tsan)
  add_link_options(-fsanitize=thread)
endif()
if(AGENT_FUZZ)
  # Coverage for the fuzzer in every library; the targets add the driver.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined
                      -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

# GCC 12 reports a bogus -Wrestrict inside std::string's operator+ when it
# inlines at -O3 (GCC bug 105329, fixed in GCC 13); the MinGW cross build
# in Release hits it. Drop that one warning for those compilers only.
target_compile_options(agent_warnings INTERFACE
  $<$<AND:$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-Wno-restrict>)
