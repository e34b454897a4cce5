# The warning set every Cordon target links (never third-party code).
add_library(cordon_warnings INTERFACE)
target_compile_options(cordon_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-qual
  -Wformat=2 -Wimplicit-fallthrough -Wmissing-declarations -Wvla -Wundef)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # g++ 12 reports false -Wrestrict positives inside libstdc++'s std::string operator+ (GCC PR 105329).
  target_compile_options(cordon_warnings INTERFACE -Wno-restrict)
endif()
if(CORDON_WERROR)
  target_compile_options(cordon_warnings INTERFACE -Werror)
endif()

# cordon_library(NAME DEPS ...): one static library per folder, from its *.cc files. A folder's
# routes*.cc go into NAME_routes, which also links cordon_http: the HTTP layer sits above the
# services (routes -> service -> rules/store -> base), so the arrows cannot form a cycle.
function(cordon_library name)
  cmake_parse_arguments(ARG "" "" "DEPS;ROUTE_DEPS" ${ARGN})
  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc ${CMAKE_CURRENT_SOURCE_DIR}/*/*.cc)
  set(route_srcs ${srcs})
  list(FILTER srcs EXCLUDE REGEX "/routes[^/]*\\.cc$")
  list(FILTER route_srcs INCLUDE REGEX "/routes[^/]*\\.cc$")
  add_library(${name} STATIC ${srcs})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} PRIVATE cordon_warnings)
  if(route_srcs)
    add_library(${name}_routes STATIC ${route_srcs})
    target_link_libraries(${name}_routes PUBLIC ${name} cordon_http ${ARG_ROUTE_DEPS} PRIVATE cordon_warnings)
  endif()
endfunction()
