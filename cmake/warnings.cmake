# The warning set every Cordon target links (never third-party code).
add_library(cordon_warnings INTERFACE)
target_compile_options(cordon_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-qual
  -Wformat=2 -Wimplicit-fallthrough -Wmissing-declarations -Wvla -Wundef)
if(CORDON_WERROR)
  target_compile_options(cordon_warnings INTERFACE -Werror)
endif()

# cordon_library(NAME DIR DEPS...): one static library per folder, from its *.cc files.
function(cordon_library name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cc ${CMAKE_CURRENT_SOURCE_DIR}/*/*.cc)
  add_library(${name} STATIC ${srcs})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} PRIVATE cordon_warnings)
endfunction()
