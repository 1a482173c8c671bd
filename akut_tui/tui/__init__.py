"""The Textual shell above the screens: app, session, navigation, menu, start-up."""
