// main() of the GUI test programs. The application object lives here, around the tests: a
// function-local static one is destroyed after Qt's own statics at exit (a crash in
// QInputDevice's destructor).
#include <gtest/gtest.h>
#include <unistd.h>

#include <QApplication>
#include <cstdlib>
#include <filesystem>
#include <string>

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  // The window opens the default database at start: a scratch one, never the user's.
  const std::string scratch_db =
      (fs::temp_directory_path() / ("routewise-gui-tests-" + std::to_string(::getpid()) + ".db"))
          .string();
  ::setenv("ROUTEWISE_DB", scratch_db.c_str(), 1);
  QApplication application(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("routewise-tests"));
  ::testing::InitGoogleTest(&argc, argv);
  const int failed = RUN_ALL_TESTS();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(scratch_db + suffix);
  return failed;
}
