# Third-party libraries, all from Debian (native) or built from Debian's
# sources into MINGW_PREFIX (cross build). No vendored copies.
find_package(Threads REQUIRED)

find_path(ASIO_INCLUDE_DIR asio.hpp REQUIRED)
add_library(asio INTERFACE)
target_include_directories(asio SYSTEM INTERFACE ${ASIO_INCLUDE_DIR})
target_compile_definitions(asio INTERFACE ASIO_STANDALONE ASIO_NO_DEPRECATED)
target_link_libraries(asio INTERFACE Threads::Threads)
if(WIN32)
  target_compile_definitions(asio INTERFACE _WIN32_WINNT=0x0601 WIN32_LEAN_AND_MEAN NOMINMAX)
  target_link_libraries(asio INTERFACE ws2_32 mswsock)
endif()

find_path(CRYPTOPP_INCLUDE_DIR cryptopp/cryptlib.h REQUIRED)
find_library(CRYPTOPP_LIBRARY NAMES cryptopp crypto++ REQUIRED)
add_library(cryptopp INTERFACE)
target_include_directories(cryptopp SYSTEM INTERFACE ${CRYPTOPP_INCLUDE_DIR})
target_link_libraries(cryptopp INTERFACE ${CRYPTOPP_LIBRARY})

find_package(pugixml CONFIG REQUIRED)
if(TARGET pugixml::static AND WIN32)
  set(PUGIXML_TARGET pugixml::static)
else()
  set(PUGIXML_TARGET pugixml::pugixml)
endif()

# OpenSSL, for agent-auth's TLS through asio::ssl. The Windows cross build
# has no MinGW OpenSSL, so agent-auth is not built there yet (planned:
# SChannel behind a platform TLS interface).
if(NOT WIN32)
  find_package(OpenSSL REQUIRED)
endif()

if(WIN32)
  set(ZLIB_USE_STATIC_LIBS ON)
endif()
find_package(ZLIB REQUIRED)

if(AGENT_BUILD_TESTS)
  find_package(GTest CONFIG REQUIRED)
  include(GoogleTest)
endif()

# Every executable on Windows is linked statically so it imports only
# system DLLs.
function(agent_executable_options target)
  if(WIN32)
    target_link_options(${target} PRIVATE -static)
  endif()
endfunction()
