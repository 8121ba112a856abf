#pragma once

namespace twbench::test {

enum class AppKind { Core, Gui };

// Every suite's main(): makes the Qt application the suite needs (offscreen for GUI suites, so
// tests run without a display), then runs GoogleTest.
int runTests(int argc, char **argv, AppKind kind);

} // namespace twbench::test
