// routewise-gui: the desktop face of Routewise (Qt 6 Widgets). Thin: the mirror, the simulator
// and the rules come from the libraries; this wires them to views.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTimer>
#include <cstdio>
#include <cstring>

#include "main_window.hpp"

namespace {

// "HOST:PORT" or "PORT".
bool parse_address(const QString& text, routewise::gui::ConnectionSettings& c) {
  const int colon = text.lastIndexOf(':');
  bool ok = false;
  const uint port = (colon < 0 ? text : text.mid(colon + 1)).toUInt(&ok);
  if (!ok || port == 0 || port > 65535) return false;
  if (colon > 0) c.host = text.left(colon);
  c.port = static_cast<quint16>(port);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  // --help and --version need no display.
  for (int i = 1; i < argc; ++i)
    if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h") ||
        !std::strcmp(argv[i], "--version") || !std::strcmp(argv[i], "-v"))
      qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("routewise-gui"));
  QApplication::setOrganizationName(QStringLiteral("routewise"));
  QApplication::setApplicationVersion(QStringLiteral("0.1"));

  QCommandLineParser cli;
  cli.setApplicationDescription(QStringLiteral(
      "Routewise: a live mirror of a DAW's mixer, its route map and the routing faults in it.\n"
      "Without arguments it reconnects to what it was connected to last time.\n"
      "Example: routewise-gui --simulator resources/sessions/pop-song-faulty.json"));
  cli.addHelpOption();
  cli.addVersionOption();
  const QCommandLineOption simulator(
      QStringLiteral("simulator"),
      QStringLiteral("Serve the session with the built-in DAW simulator and mirror it."));
  const QCommandLineOption ardour(QStringLiteral("ardour"),
                                  QStringLiteral("Mirror Ardour's OSC surface at HOST:PORT."),
                                  QStringLiteral("HOST:PORT"));
  const QCommandLineOption reaper(QStringLiteral("reaper"),
                                  QStringLiteral("Mirror REAPER's OSC surface at HOST:PORT."),
                                  QStringLiteral("HOST:PORT"));
  // A positional argument: Qt itself takes "-session" (X11 session management) off the line.
  cli.addPositionalArgument(
      QStringLiteral("SESSION"),
      QStringLiteral("The session's routing: a route map (.json) or a DAW session file (.ardour, "
                     ".RPP, .dawproject, .als)."),
      QStringLiteral("[SESSION]"));
  const QCommandLineOption screenshots(
      QStringLiteral("screenshots"),
      QStringLiteral("Save a PNG of each view into DIR once the mirror is live, then quit."),
      QStringLiteral("DIR"));
  const QCommandLineOption database(
      QStringLiteral("db"),
      QStringLiteral("The Routewise database for History (default: $ROUTEWISE_DB, else "
                     "~/.local/share/routewise/routewise.db)."),
      QStringLiteral("FILE"));
  const QCommandLineOption engine_meters(
      QStringLiteral("engine-meters"),
      QStringLiteral("Meter the mixer with Routewise's engine playing the mirrored mix (peak, RMS, "
                     "the master's true peak) instead of the DAW's one level (Ctrl+M)."));
  cli.addOptions({simulator, ardour, reaper, database, screenshots, engine_meters});
  cli.process(app);

  routewise::gui::MainWindow window;
  if (cli.isSet(database)) {
    const QString error = window.open_store(cli.value(database).toStdString());
    if (!error.isEmpty()) std::fprintf(stderr, "routewise-gui: %s\n", qPrintable(error));
  }
  window.show();
  routewise::gui::ConnectionSettings settings;
  const bool asked = cli.isSet(simulator) || cli.isSet(ardour) || cli.isSet(reaper);
  if (cli.isSet(ardour) || cli.isSet(reaper)) {
    settings.peer = cli.isSet(ardour) ? routewise::gui::Peer::ardour : routewise::gui::Peer::reaper;
    const QString address = cli.value(cli.isSet(ardour) ? ardour : reaper);
    if (!parse_address(address, settings)) {
      std::fprintf(stderr, "routewise-gui: '%s' is not HOST:PORT\n", qPrintable(address));
      return 2;
    }
  }
  if (cli.positionalArguments().size() > 1) {
    std::fprintf(stderr, "routewise-gui: one session at a time (see --help)\n");
    return 2;
  }
  const bool named = !cli.positionalArguments().isEmpty();
  if (named) settings.session_file = cli.positionalArguments().front();
  if (asked || named) {
    const QString error = window.connect_to(settings);
    if (!error.isEmpty()) {
      std::fprintf(stderr, "routewise-gui: %s\n", qPrintable(error));
      if (cli.isSet(screenshots)) return 1;
    }
  } else {
    if (const auto last = routewise::gui::remembered_connection())
      window.connect_in_background(*last);
  }

  if (cli.isSet(engine_meters)) window.engine_meters_action().setChecked(true);

  if (cli.isSet(screenshots)) {
    const QString dir = cli.value(screenshots);
    QDir().mkpath(dir);
    auto* waiting = new QTimer(&window);
    const auto started = std::chrono::steady_clock::now();
    QObject::connect(waiting, &QTimer::timeout, &window, [&window, dir, waiting, started] {
      const routewise::DawLink* m = window.link().daw();
      const bool live = m && m->complete();
      if (!live && std::chrono::steady_clock::now() - started < std::chrono::seconds(20)) return;
      waiting->stop();
      // A moment live: meters moving, findings in.
      QTimer::singleShot(1500, &window, [&window, dir] {
        const char* names[] = {"mixer.png",   "route-map.png", "matrix.png",   "findings.png",
                               "history.png", "latency.png",   "surfaces.png", "audio.png"};
        int failed = 0;
        for (int i = 0; i < window.tabs().count() && i < 8; ++i) {
          window.tabs().setCurrentIndex(i);
          QApplication::processEvents();
          const QString path = QDir(dir).filePath(QString::fromLatin1(names[i]));
          if (!window.grab().save(path)) ++failed;
          std::printf("%s\n", qPrintable(path));
        }
        QApplication::exit(failed == 0 ? 0 : 1);
      });
    });
    waiting->start(100);
  }
  return QApplication::exec();
}
