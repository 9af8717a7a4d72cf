# sl_add_module: one library per module (sl_<name>, alias sl::<name>) plus its test suites.
#
#   sl_add_module(NAME parquet
#     SRCS  a.cpp b.cpp                 # library sources (explicit list, no globs)
#     DEPS  sl::common                  # public project dependencies
#     PRIVATE_DEPS snappy               # third-party libraries wrapped by this module
#     UNIT_TESTS tests/a_test.cpp       # GoogleTest sources, CTest labels "unit" and the module
#     INTEGRATION_TESTS tests/x_it.cpp  # GoogleTest sources, CTest label "integration"
#     TEST_DEPS ...)                    # extra libraries for the test executables
#
# Further suites with other labels (conformance, interop, slow) use sl_add_test_suite directly.
include(GoogleTest)

set(SL_WARNINGS -Wall -Wextra -Werror -Wno-missing-field-initializers)

# MODULE (optional) adds the module's name as a second label to a unit suite's tests, so
# `ctest -L parquet` runs the parquet unit tests (their names are the GoogleTest cases').
function(sl_add_test_suite)
  cmake_parse_arguments(T "" "NAME;LABEL;TIMEOUT;MODULE" "SRCS;DEPS" ${ARGN})
  if(NOT T_SRCS)
    return()
  endif()
  add_executable(${T_NAME} ${T_SRCS})
  target_compile_options(${T_NAME} PRIVATE ${SL_WARNINGS})
  target_link_libraries(${T_NAME} PRIVATE ${T_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  set(env "SL_SOURCE_DIR=${PROJECT_SOURCE_DIR};SL_BINARY_DIR=${PROJECT_BINARY_DIR};SL_SHARED_DIR=${SL_SHARED_DIR}")
  if(T_LABEL STREQUAL "unit")
    # Unit tests are cheap to start: one CTest test per GoogleTest case, for precise reports.
    gtest_discover_tests(${T_NAME} TEST_LIST ${T_NAME}_TESTS
      PROPERTIES TIMEOUT ${T_TIMEOUT} DISCOVERY_TIMEOUT 60)
    # The list-valued properties (LABELS, ENVIRONMENT) are set by a script of ours that CTest
    # runs after the discovered tests are added: gtest_discover_tests' PROPERTIES flattens a
    # list into separate arguments (CMake 3.25), which dropped all but the first ENVIRONMENT
    # entry and cannot give two labels.
    set(labels ${T_LABEL} ${T_MODULE})
    set(script ${CMAKE_CURRENT_BINARY_DIR}/${T_NAME}_properties.cmake)
    file(CONFIGURE OUTPUT ${script} @ONLY CONTENT [=[
if(DEFINED @T_NAME@_TESTS)
  set_tests_properties(${@T_NAME@_TESTS} PROPERTIES
    LABELS [==[@labels@]==] ENVIRONMENT [==[@env@]==])
endif()
]=])
    set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${script})
  else()
    # Other suites share costly fixtures per process (a PostgreSQL cluster, a broker, corpora):
    # the whole executable is one CTest test, so the fixture starts once.
    add_test(NAME ${T_NAME} COMMAND ${T_NAME} --gtest_color=no)
    set_tests_properties(${T_NAME} PROPERTIES LABELS ${T_LABEL} TIMEOUT ${T_TIMEOUT} ENVIRONMENT "${env}")
  endif()
endfunction()

# The include directory of one module: <build>/include/<name>/<name> links to src/<name>, so
# `#include "<name>/x.hpp"` works for the module, for what links it (PUBLIC deps propagate) and
# for nothing else. No target sees all of src/: an include of an unlinked module does not
# compile, and scripts/check-module-graph.py asks for each used module to be declared directly.
function(sl_module_include_dir name out)
  set(dir ${PROJECT_BINARY_DIR}/include/${name})
  file(MAKE_DIRECTORY ${dir})
  if(NOT EXISTS ${dir}/${name})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/src/${name} ${dir}/${name} SYMBOLIC)
  endif()
  set(${out} ${dir} PARENT_SCOPE)
endfunction()

function(sl_add_module)
  cmake_parse_arguments(M "" "NAME" "SRCS;DEPS;PRIVATE_DEPS;UNIT_TESTS;INTEGRATION_TESTS;TEST_DEPS" ${ARGN})
  set(target sl_${M_NAME})
  add_library(${target} STATIC ${M_SRCS})
  add_library(sl::${M_NAME} ALIAS ${target})
  sl_module_include_dir(${M_NAME} include_dir)
  target_include_directories(${target} PUBLIC ${include_dir})
  target_compile_options(${target} PRIVATE ${SL_WARNINGS})
  target_link_libraries(${target} PUBLIC ${M_DEPS} PRIVATE ${M_PRIVATE_DEPS})
  if(BUILD_TESTING)
    sl_add_test_suite(NAME ${target}_unit_tests LABEL unit MODULE ${M_NAME}
      SRCS ${M_UNIT_TESTS} DEPS ${target} ${M_TEST_DEPS})
    sl_add_test_suite(NAME ${target}_integration_tests LABEL integration TIMEOUT 900
      SRCS ${M_INTEGRATION_TESTS} DEPS ${target} ${M_TEST_DEPS})
  endif()
endfunction()
