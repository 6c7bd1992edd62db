import { render } from 'preact';
import { About } from './About';

render(<About />, document.getElementById('app')!);
