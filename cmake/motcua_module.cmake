# motcua_module(NAME [DEPS ...]): one static library per module folder, built from the .cpp
# files found under it. Headers are included from the repository root.
function(motcua_module name)
  cmake_parse_arguments(M "" "" "DEPS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  add_library(motcua_${name} STATIC ${sources})
  target_include_directories(motcua_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(motcua_${name} PUBLIC ${M_DEPS})
endfunction()

# motcua_test(MODULE [DEPS ...]): one doctest binary per module, from tests/<module>/*_test.cpp.
function(motcua_test module)
  cmake_parse_arguments(T "" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${module}/*.cpp)
  add_executable(${module}_tests ${PROJECT_SOURCE_DIR}/tests/doctest_main.cpp ${sources})
  target_link_libraries(${module}_tests PRIVATE doctest::doctest ${T_DEPS})
  target_include_directories(${module}_tests PRIVATE ${PROJECT_SOURCE_DIR})
  target_compile_definitions(${module}_tests PRIVATE
    MOTCUA_SOURCE_DIR="${PROJECT_SOURCE_DIR}" MOTCUA_BINARY_DIR="${PROJECT_BINARY_DIR}")
  # Command-line and end-to-end tests run the real binary: it is built before every test suite.
  if(TARGET motcua)
    add_dependencies(${module}_tests motcua)
    target_compile_definitions(${module}_tests PRIVATE MOTCUA_EXE="$<TARGET_FILE:motcua>")
  endif()
  add_test(NAME ${module} COMMAND ${module}_tests WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
endfunction()
