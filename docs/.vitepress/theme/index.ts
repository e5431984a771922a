// The default VitePress theme without its web font (system fonts only: nothing is fetched but
// the site's own files), with the try-it console and one sample language across pages.
import DefaultTheme from 'vitepress/theme-without-fonts';
import { inBrowser, onContentUpdated, type Theme } from 'vitepress';
import { onMounted } from 'vue';
import TryIt from './TryIt.vue';
import { applyStoredLanguage, listenForLanguageChoice } from './language-sync';
import './custom.css';

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('TryIt', TryIt);
    if (inBrowser) listenForLanguageChoice();
  },
  setup() {
    onMounted(applyStoredLanguage);
    onContentUpdated(applyStoredLanguage);
  },
} satisfies Theme;
