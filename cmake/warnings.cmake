add_library(agent_warnings INTERFACE)
target_compile_options(agent_warnings INTERFACE -Wall -Wextra -Wpedantic -Werror
  -Wno-error=deprecated-declarations)

if(AGENT_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
if(AGENT_TSAN)
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()
