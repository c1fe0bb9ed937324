import './bedside.css';

export { BedsideScreen } from './BedsideScreen';
