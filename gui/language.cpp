#include "language.h"

#include <QLibraryInfo>
#include <QPointer>
#include <QSettings>
#include <QTranslator>

namespace twbench {

namespace {

const QString settingsKey = QStringLiteral("ui/language");

// Owned by the application (children of qApp); replaced on every apply().
QPointer<QTranslator> qtTranslator;
QPointer<QTranslator> ownTranslator;
Language::Choice applied = Language::Choice::System;

void replace(QPointer<QTranslator> &slot, const QLocale &locale, const QString &name,
             const QString &folder)
{
    if (slot) {
        QCoreApplication::removeTranslator(slot);
        delete slot;
    }
    // English is the source language: no translator at all, so nothing is left over.
    if (locale.language() == QLocale::English || locale.language() == QLocale::C)
        return;
    auto *translator = new QTranslator(QCoreApplication::instance());
    if (translator->load(locale, name, QStringLiteral("_"), folder)) {
        QCoreApplication::installTranslator(translator);
        slot = translator;
    } else {
        delete translator;
    }
}

} // namespace

QLocale Language::localeFor(Choice choice, const QLocale &system)
{
    switch (choice) {
    case Choice::English:
        return QLocale(QLocale::English, QLocale::UnitedStates);
    case Choice::SimplifiedChinese:
        return QLocale(QLocale::Chinese, QLocale::SimplifiedChineseScript, QLocale::China);
    case Choice::System:
        break;
    }
    return system;
}

void Language::apply(Choice choice, const QLocale &system)
{
    const QLocale locale = localeFor(choice, system);
    QLocale::setDefault(locale);
    replace(qtTranslator, locale, QStringLiteral("qtbase"),
            QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    replace(ownTranslator, locale, QStringLiteral("twbench"), QStringLiteral(":/i18n"));
    applied = choice;
}

Language::Choice Language::current()
{
    return applied;
}

QString Language::key(Choice choice)
{
    switch (choice) {
    case Choice::English:
        return QStringLiteral("en");
    case Choice::SimplifiedChinese:
        return QStringLiteral("zh_CN");
    case Choice::System:
        break;
    }
    return QStringLiteral("system");
}

Language::Choice Language::saved()
{
    const QString value = QSettings().value(settingsKey).toString();
    for (const Choice choice : {Choice::English, Choice::SimplifiedChinese}) {
        if (value == key(choice))
            return choice;
    }
    return Choice::System;
}

void Language::save(Choice choice)
{
    QSettings().setValue(settingsKey, key(choice));
}

QString Language::menuText(Choice choice)
{
    switch (choice) {
    case Choice::English:
        return QStringLiteral("English");
    case Choice::SimplifiedChinese:
        return QStringLiteral("简体中文");
    case Choice::System:
        break;
    }
    return tr("&System language");
}

} // namespace twbench
